// Package platform wires mitwirken together: configuration, logging, the
// database, the services, the background workers and the HTTP server. Both
// `mitwirken serve` and the end-to-end tests start the platform through it.
package platform

import (
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/gommon/bytes"

	"github.com/mitwirken/mitwirken/app/events"
	"github.com/mitwirken/mitwirken/app/web"
)

// Config is the whole configuration, read from MITWIRKEN_* environment
// variables. docs/configuration.md and the README list every variable.
type Config struct {
	Addr           string
	BaseURL        string
	DatabaseURL    string
	DatabaseListen string
	AutoMigrate    bool
	Demo           bool
	PlatformName   string
	ContactEmail   string
	A11yEmail      string
	A11yPhone      string
	SecretKey      string
	AuditKeys      []string
	SMTPURL        string
	MailFrom       string
	MailInterval   time.Duration
	OIDCIssuer     string
	OIDCClientID   string
	OIDCSecret     string
	OIDCName       string
	OAuthProviders []OAuthProvider
	LogFormat      string
	LogLevel       string
	TrustedProxies []string
	BodyLimit      string
	DBMaxConns     int
	// RegistrationsAtOnce bounds the registrations for one event an
	// instance runs at once (events.DefaultRegistrationsAtOnce).
	RegistrationsAtOnce int
	ShutdownTimeout     time.Duration
	// GeoJSON replaces the embedded Ortsteil boundaries (issue 14).
	GeoJSON string
	// PageCacheSize bounds the rendered-page cache for anonymous readers
	// (issue 16), e.g. "64M"; "0" turns it off.
	PageCacheSize string
	// PageCacheTTL is the longest a cached page is served while its content
	// is unchanged (pages also depend on the time: periods open and close).
	PageCacheTTL time.Duration
	// MapTiles is a tile service (https://…/{z}/{x}/{y}.png) shown beneath
	// the shapes of the JavaScript map; "" draws no background (issue 14).
	MapTiles string
}

// OAuthProvider is another goth provider enabled by environment variables.
type OAuthProvider struct {
	Name, Key, Secret, Label string
}

// Variable documents one setting: the README and docs are generated from it
// being complete (a test checks that every variable is documented).
type Variable struct {
	Name, Default, Description string
}

// Variables lists every environment variable the platform reads.
var Variables = []Variable{
	{"MITWIRKEN_ADDR", "127.0.0.1:8080", "Address the HTTP server listens on."},
	{"MITWIRKEN_BASE_URL", "http://ADDR", "Public URL of the platform, used in mails and for secure cookies (https)."},
	{"MITWIRKEN_DATABASE_URL", "(empty: SQLite at ./data/mitwirken.db)", "postgres://user:pass@host:5432/db for PostgreSQL, or sqlite://PATH."},
	{"MITWIRKEN_DATABASE_LISTEN_URL", "(MITWIRKEN_DATABASE_URL)", "Direct PostgreSQL URL for LISTEN when MITWIRKEN_DATABASE_URL names a pooler such as PgBouncer."},
	{"MITWIRKEN_AUTO_MIGRATE", "true", "Apply pending migrations when `serve` starts."},
	{"MITWIRKEN_DEMO", "false", "Fill an empty database with demo content on start (make run sets it)."},
	{"MITWIRKEN_NAME", "mitwirken Leipzig", "Platform name in pages and mails."},
	{"MITWIRKEN_CONTACT_EMAIL", "(empty)", "Address that receives a copy of feedback messages."},
	{"MITWIRKEN_A11Y_EMAIL", "(MITWIRKEN_CONTACT_EMAIL)", "E-mail address for accessibility feedback, shown in the accessibility statement (BITV 2.0 § 12)."},
	{"MITWIRKEN_A11Y_PHONE", "(empty)", "Telephone number for accessibility feedback, shown in the accessibility statement."},
	{"MITWIRKEN_SECRET_KEY", "(generated and stored in the database)", "Key that signs links and short-lived cookies; shared by all instances."},
	{"MITWIRKEN_AUDIT_KEY", "(generated and stored in the database)", "Key of the audit log's hash chain (HMAC), at least 32 characters; keep it outside the database. Comma-separated: the first writes, older ones verify old entries. See docs/operations.md."},
	{"MITWIRKEN_SMTP_URL", "(empty: mails stay in /admin/outbox)", "smtp://user:pass@host:587 (STARTTLS), smtps://host:465, ?tls=opportunistic|none."},
	{"MITWIRKEN_MAIL_FROM", "NAME <noreply@HOST> (NAME = MITWIRKEN_NAME)", "Sender of all mails."},
	{"MITWIRKEN_MAIL_INTERVAL", "5s", "How often the mail worker looks for due mails."},
	{"MITWIRKEN_OIDC_ISSUER", "(empty: no button)", "OpenID Connect issuer URL of the city's identity provider."},
	{"MITWIRKEN_OIDC_CLIENT_ID", "(empty)", "OpenID Connect client id."},
	{"MITWIRKEN_OIDC_CLIENT_SECRET", "(empty)", "OpenID Connect client secret."},
	{"MITWIRKEN_OIDC_NAME", "Mit Leipzig-Konto anmelden", "Label of the OpenID Connect login button."},
	{"MITWIRKEN_OAUTH_PROVIDERS", "(empty)", "Further goth providers, comma-separated: github, gitlab."},
	{"MITWIRKEN_OAUTH_<NAME>_KEY / _SECRET / _LABEL", "(empty)", "Client key, secret and button label of each further provider."},
	{"MITWIRKEN_LOG_FORMAT", "text", "text or json."},
	{"MITWIRKEN_LOG_LEVEL", "info", "debug, info, warn or error."},
	{"MITWIRKEN_TRUSTED_PROXIES", "(empty)", "Comma-separated proxy addresses/CIDRs whose X-Forwarded-For is trusted."},
	{"MITWIRKEN_BODY_LIMIT", "2M", "Largest request body accepted (413 above)."},
	{"MITWIRKEN_DB_MAX_CONNS", "20", "PostgreSQL connection pool size per instance."},
	{"MITWIRKEN_REGISTRATIONS_AT_ONCE", "4", "Registrations for one event an instance works on at once; the others wait in line. See docs/configuration.md."},
	{"MITWIRKEN_SHUTDOWN_TIMEOUT", "10s", "How long SIGTERM waits for in-flight requests."},
	{"MITWIRKEN_PAGE_CACHE_SIZE", "64M", "Memory for rendered chapter, event and lab pages served to readers without a session (LRU-like by bytes); 0 turns the cache off. See docs/operations.md."},
	{"MITWIRKEN_PAGE_CACHE_TTL", "10s", "Longest time a cached page is served while its content is unchanged (comment periods and registration windows open and close by the clock)."},
	{"MITWIRKEN_MAP_TILES", "(empty: no tiles, nothing is loaded from another server)", "Tile service shown beneath the shapes of the map for placing a point, e.g. https://tiles.example.org/{z}/{x}/{y}.png (https, with {z}, {x} and {y}); the visitor's browser then loads tiles from that server. See docs/maps.md."},
	{"MITWIRKEN_GEOJSON", "(empty: the embedded Ortsteile of Leipzig)", "GeoJSON FeatureCollection of the Ortsteile (properties ot, name; WGS 84) that replaces the embedded boundaries; a bad file stops the start with the feature and reason. See docs/maps.md."},
}

// MinAuditKeyLength is the shortest MITWIRKEN_AUDIT_KEY accepted: a key that
// can be guessed protects nothing.
const MinAuditKeyLength = 32

// AuditSecrets are the configured audit keys as the store takes them.
func (c Config) AuditSecrets() [][]byte {
	var out [][]byte
	for _, k := range c.AuditKeys {
		out = append(out, []byte(k))
	}
	return out
}

// FromEnv reads the configuration.
func FromEnv() (Config, error) {
	c := Config{
		Addr:           env("MITWIRKEN_ADDR", "127.0.0.1:8080"),
		BaseURL:        os.Getenv("MITWIRKEN_BASE_URL"),
		DatabaseURL:    os.Getenv("MITWIRKEN_DATABASE_URL"),
		DatabaseListen: os.Getenv("MITWIRKEN_DATABASE_LISTEN_URL"),
		PlatformName:   env("MITWIRKEN_NAME", "mitwirken Leipzig"),
		ContactEmail:   os.Getenv("MITWIRKEN_CONTACT_EMAIL"),
		A11yEmail:      env("MITWIRKEN_A11Y_EMAIL", os.Getenv("MITWIRKEN_CONTACT_EMAIL")),
		A11yPhone:      os.Getenv("MITWIRKEN_A11Y_PHONE"),
		SecretKey:      os.Getenv("MITWIRKEN_SECRET_KEY"),
		SMTPURL:        os.Getenv("MITWIRKEN_SMTP_URL"),
		MailFrom:       os.Getenv("MITWIRKEN_MAIL_FROM"),
		OIDCIssuer:     os.Getenv("MITWIRKEN_OIDC_ISSUER"),
		OIDCClientID:   os.Getenv("MITWIRKEN_OIDC_CLIENT_ID"),
		OIDCSecret:     os.Getenv("MITWIRKEN_OIDC_CLIENT_SECRET"),
		OIDCName:       env("MITWIRKEN_OIDC_NAME", "Mit Leipzig-Konto anmelden"),
		LogFormat:      env("MITWIRKEN_LOG_FORMAT", "text"),
		LogLevel:       env("MITWIRKEN_LOG_LEVEL", "info"),
		BodyLimit:      env("MITWIRKEN_BODY_LIMIT", "2M"),
		GeoJSON:        os.Getenv("MITWIRKEN_GEOJSON"),
		PageCacheSize:  env("MITWIRKEN_PAGE_CACHE_SIZE", "64M"),
		MapTiles:       os.Getenv("MITWIRKEN_MAP_TILES"),
	}
	var err error
	if c.AutoMigrate, err = envBool("MITWIRKEN_AUTO_MIGRATE", true); err != nil {
		return c, err
	}
	if c.Demo, err = envBool("MITWIRKEN_DEMO", false); err != nil {
		return c, err
	}
	if c.MailInterval, err = envDuration("MITWIRKEN_MAIL_INTERVAL", 5*time.Second); err != nil {
		return c, err
	}
	if c.ShutdownTimeout, err = envDuration("MITWIRKEN_SHUTDOWN_TIMEOUT", 10*time.Second); err != nil {
		return c, err
	}
	if c.DBMaxConns, err = envInt("MITWIRKEN_DB_MAX_CONNS", 20); err != nil {
		return c, err
	}
	if c.RegistrationsAtOnce, err = envInt("MITWIRKEN_REGISTRATIONS_AT_ONCE", events.DefaultRegistrationsAtOnce); err != nil {
		return c, err
	}
	if c.PageCacheTTL, err = envDuration("MITWIRKEN_PAGE_CACHE_TTL", 10*time.Second); err != nil {
		return c, err
	}
	c.TrustedProxies = splitList(os.Getenv("MITWIRKEN_TRUSTED_PROXIES"))
	c.AuditKeys = splitList(os.Getenv("MITWIRKEN_AUDIT_KEY"))
	for _, name := range splitList(os.Getenv("MITWIRKEN_OAUTH_PROVIDERS")) {
		up := "MITWIRKEN_OAUTH_" + strings.ToUpper(name) + "_"
		c.OAuthProviders = append(c.OAuthProviders, OAuthProvider{
			Name: name, Key: os.Getenv(up + "KEY"), Secret: os.Getenv(up + "SECRET"),
			Label: env(up+"LABEL", "Mit "+name+" anmelden"),
		})
	}
	return c, c.Validate()
}

// Validate checks values that would otherwise fail later and obscurely.
func (c Config) Validate() error {
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("MITWIRKEN_BASE_URL must be an http(s) URL, got %q", c.BaseURL)
		}
	}
	if (c.OIDCIssuer != "") != (c.OIDCClientID != "") {
		return fmt.Errorf("MITWIRKEN_OIDC_ISSUER and MITWIRKEN_OIDC_CLIENT_ID must be set together")
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		return fmt.Errorf("MITWIRKEN_LOG_FORMAT must be text or json")
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return fmt.Errorf("MITWIRKEN_LOG_LEVEL must be debug, info, warn or error, got %q", c.LogLevel)
	}
	if c.PageCacheSize != "" && c.PageCacheSize != "0" {
		if n, err := bytes.Parse(c.PageCacheSize); err != nil || n <= 0 {
			return fmt.Errorf("MITWIRKEN_PAGE_CACHE_SIZE must be a size such as 64M or 0, got %q", c.PageCacheSize)
		}
	}
	if n, err := bytes.Parse(c.BodyLimit); err != nil || n <= 0 {
		return fmt.Errorf("MITWIRKEN_BODY_LIMIT must be a size such as 2M or 512K, got %q", c.BodyLimit)
	}
	if c.DBMaxConns < 1 {
		return fmt.Errorf("MITWIRKEN_DB_MAX_CONNS must be at least 1, got %d", c.DBMaxConns)
	}
	if c.RegistrationsAtOnce < 1 {
		return fmt.Errorf("MITWIRKEN_REGISTRATIONS_AT_ONCE must be at least 1, got %d", c.RegistrationsAtOnce)
	}
	for i, k := range c.AuditKeys {
		if len(k) < MinAuditKeyLength {
			return fmt.Errorf("MITWIRKEN_AUDIT_KEY: key %d has %d characters, at least %d are needed (e.g. openssl rand -hex 32)", i+1, len(k), MinAuditKeyLength)
		}
	}
	for _, p := range c.TrustedProxies {
		if _, err := web.ParseTrustedProxy(p); err != nil {
			return fmt.Errorf("MITWIRKEN_TRUSTED_PROXIES: %q is neither an address nor a network (CIDR)", p)
		}
	}
	return nil
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func envBool(name string, def bool) (bool, error) {
	v := os.Getenv(name)
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return def, fmt.Errorf("%s: %w", name, err)
	}
	return b, nil
}

func envInt(name string, def int) (int, error) {
	v := os.Getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return def, fmt.Errorf("%s: %w", name, err)
	}
	return n, nil
}

func envDuration(name string, def time.Duration) (time.Duration, error) {
	v := os.Getenv(name)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return def, fmt.Errorf("%s: %w", name, err)
	}
	return d, nil
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
