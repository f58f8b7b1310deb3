package testenv

import (
	"context"
	"io"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/auth"
	"github.com/mitwirken/mitwirken/app/platform"
	"github.com/mitwirken/mitwirken/app/seed"
	"github.com/mitwirken/mitwirken/app/store"
)

// App is a platform instance started for a test on a random port.
type App struct {
	URL         string
	DatabaseURL string
	Platform    *platform.Platform
	Store       *store.Store
	Mail        *MailServer
	Clock       *Clock
}

type appOptions struct {
	dbURL     string
	noSMTP    bool
	mail      *MailServer
	clock     *Clock
	configure []func(*platform.Config)
	logOut    io.Writer
}

// Option adjusts StartApp.
type Option func(*appOptions)

// WithDatabase shares a database (from DatabaseURL) between instances.
func WithDatabase(url string) Option { return func(o *appOptions) { o.dbURL = url } }

// WithoutSMTP runs without a mail server: mails stay in the outbox ("logged").
func WithoutSMTP() Option { return func(o *appOptions) { o.noSMTP = true } }

// WithMailServer delivers to an existing test SMTP server.
func WithMailServer(m *MailServer) Option { return func(o *appOptions) { o.mail = m } }

// WithClock gives the platform a controllable clock.
func WithClock(c *Clock) Option { return func(o *appOptions) { o.clock = c } }

// WithConfig changes the configuration before start.
func WithConfig(fn func(*platform.Config)) Option {
	return func(o *appOptions) { o.configure = append(o.configure, fn) }
}

// WithLogOutput sends the platform's log (at info level) to w.
func WithLogOutput(w io.Writer) Option {
	return func(o *appOptions) {
		o.logOut = w
		o.configure = append(o.configure, func(c *platform.Config) { c.LogLevel = "info" })
	}
}

// StartApp opens and starts a platform instance; it is closed when the test ends.
func StartApp(t testing.TB, opts ...Option) *App {
	t.Helper()
	var o appOptions
	for _, opt := range opts {
		opt(&o)
	}
	if o.dbURL == "" {
		o.dbURL = DatabaseURL(t)
	}
	if o.clock == nil {
		o.clock = NewClock(time.Time{})
	}
	if o.mail == nil && !o.noSMTP {
		o.mail = StartSMTP(t)
	}
	cfg := platform.Config{
		Addr: "127.0.0.1:0", DatabaseURL: o.dbURL, DatabaseListen: DirectURL(t, o.dbURL), AutoMigrate: true, PlatformName: "mitwirken Leipzig",
		MailInterval: 50 * time.Millisecond, LogFormat: "text", LogLevel: "warn", BodyLimit: "2M",
		DBMaxConns: 10, ShutdownTimeout: 10 * time.Second, SecretKey: "test-secret-key-shared-by-instances",
	}
	if o.mail != nil {
		cfg.SMTPURL = o.mail.URL()
	}
	for _, fn := range o.configure {
		fn(&cfg)
	}
	out := o.logOut
	if out == nil {
		out = logOutput()
	}
	p, err := platform.Open(context.Background(), cfg, platform.Options{Now: o.clock.Now, LogOutput: out})
	if err != nil {
		t.Fatalf("start platform: %v", err)
	}
	p.Start()
	t.Cleanup(func() { _ = p.Close() })
	return &App{URL: p.Config.BaseURL, DatabaseURL: o.dbURL, Platform: p, Store: p.Store, Mail: o.mail, Clock: o.clock}
}

func logOutput() io.Writer {
	if os.Getenv("MITWIRKEN_TEST_LOG") != "" {
		return os.Stderr
	}
	return io.Discard
}

// DefaultPassword is the password of accounts made by CreateUser.
const DefaultPassword = "korrekt-Pferd-Batterie-2030"

var (
	hashOnce    sync.Once
	defaultHash string
)

// PasswordHash is the (cached) hash of DefaultPassword.
func PasswordHash() string {
	hashOnce.Do(func() {
		h, err := auth.HashPassword(DefaultPassword)
		if err != nil {
			panic(err)
		}
		defaultHash = h
	})
	return defaultHash
}

// CreateUser adds a verified account with DefaultPassword.
func CreateUser(t testing.TB, s *store.Store, email, name string, role app.Role) *app.User {
	t.Helper()
	u, err := seed.EnsureUser(context.Background(), s, email, name, role, PasswordHash(), "")
	if err != nil {
		t.Fatalf("create user %s: %v", email, err)
	}
	return u
}

// CreateUser adds a verified account to the app's database.
func (a *App) CreateUser(t testing.TB, email, name string, role app.Role) *app.User {
	t.Helper()
	return CreateUser(t, a.Store, email, name, role)
}
