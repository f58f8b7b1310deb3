package platform

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Europe/Berlin without the system's zoneinfo (static binary)

	"github.com/KimMachineGun/automemlimit/memlimit"

	"github.com/mitwirken/mitwirken/app/abwaegung"
	"github.com/mitwirken/mitwirken/app/auth"
	"github.com/mitwirken/mitwirken/app/draft"
	"github.com/mitwirken/mitwirken/app/events"
	"github.com/mitwirken/mitwirken/app/export"
	"github.com/mitwirken/mitwirken/app/feedback"
	"github.com/mitwirken/mitwirken/app/geo"
	"github.com/mitwirken/mitwirken/app/i18n"
	"github.com/mitwirken/mitwirken/app/labs"
	"github.com/mitwirken/mitwirken/app/mail"
	"github.com/mitwirken/mitwirken/app/notify"
	"github.com/mitwirken/mitwirken/app/pagecache"
	"github.com/mitwirken/mitwirken/app/realtime"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/surveys"
	"github.com/mitwirken/mitwirken/app/web"
	"github.com/mitwirken/mitwirken/docs"
	"github.com/mitwirken/mitwirken/static"
	"github.com/mitwirken/mitwirken/views"
)

// Options adjust a platform for tests.
type Options struct {
	// Now replaces the clock (tests move time forward).
	Now func() time.Time
	// Logger replaces the logger built from the configuration.
	Logger *slog.Logger
	// LogOutput receives the log when Logger is nil (default stderr).
	LogOutput io.Writer
}

// Platform is one running instance of mitwirken.
type Platform struct {
	Config   Config
	Log      *slog.Logger
	Store    *store.Store
	I18n     *i18n.Bundle
	Mail     *mail.Composer
	Worker   *mail.Worker
	Auth     *auth.Service
	Feedback *feedback.Service
	Draft    *draft.Service
	Events   *events.Service
	Signer   *auth.Signer
	Metrics  *web.Metrics
	Web      *web.Server
	Labs     *labs.Service
	Hub      *realtime.Hub
	Exports  *export.Jobs
	// Abwaegung runs the assessment workflow of AG INSEK and the Fachämter.
	Abwaegung *abwaegung.Service
	// Notify runs following and notifications (issue 15).
	Notify *notify.Service
	// Surveys runs the surveys and announces their openings (issue 15).
	Surveys *surveys.Service
	// Pages keeps rendered pages for anonymous readers (issue 16); nil when off.
	Pages *pagecache.Cache

	listener net.Listener
	server   *http.Server
	cancel   context.CancelFunc
	wg       sync.WaitGroup
}

// Open builds an instance: it connects to (and, if configured, migrates) the
// database, listens on the configured address (port 0 picks a free port) and
// prepares every service. Start begins serving.
func Open(ctx context.Context, cfg Config, opts Options) (*Platform, error) {
	p := &Platform{Config: cfg}
	p.Log = opts.Logger
	if p.Log == nil {
		out := opts.LogOutput
		if out == nil {
			out = os.Stderr
		}
		p.Log = NewLogger(cfg.LogFormat, cfg.LogLevel, out)
	}
	tuneGC(p.Log)
	var err error
	p.Store, err = store.Open(ctx, store.Options{URL: cfg.DatabaseURL, ListenURL: cfg.DatabaseListen, Now: opts.Now, Logger: p.Log, MaxOpenConns: cfg.DBMaxConns})
	if err != nil {
		return nil, err
	}
	if err := p.prepareSchema(ctx); err != nil {
		p.Store.Close()
		return nil, err
	}
	if err := p.useAuditKeys(ctx); err != nil {
		p.Store.Close()
		return nil, err
	}
	if p.listener, err = net.Listen("tcp", cfg.Addr); err != nil {
		p.Store.Close()
		return nil, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	if p.Config.BaseURL == "" {
		p.Config.BaseURL = "http://" + p.listener.Addr().String()
	}
	if err := p.build(ctx, opts); err != nil {
		p.listener.Close()
		p.Store.Close()
		return nil, err
	}
	return p, nil
}

func (p *Platform) prepareSchema(ctx context.Context) error {
	if p.Config.AutoMigrate {
		applied, err := p.Store.Migrate(ctx)
		if err != nil {
			return err
		}
		for _, m := range applied {
			p.Log.Info("migration applied", "version", m.Version, "name", m.Name)
		}
		return nil
	}
	return p.Store.CheckSchema(ctx)
}

func (p *Platform) build(ctx context.Context, opts Options) error {
	cfg := p.Config
	base, err := url.Parse(cfg.BaseURL)
	if err != nil {
		return err
	}
	key, err := p.secretKey(ctx)
	if err != nil {
		return err
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	p.Signer = auth.NewSigner(key, now)
	if p.I18n, err = i18n.Load(views.FS); err != nil {
		return err
	}
	site := mail.Site{Name: cfg.PlatformName, BaseURL: cfg.BaseURL}
	if p.Mail, err = mail.NewComposer(views.FS, p.I18n, site); err != nil {
		return err
	}
	var sender mail.Sender
	if cfg.SMTPURL != "" {
		from := cfg.MailFrom
		if from == "" {
			from = fmt.Sprintf("%s <noreply@%s>", cfg.PlatformName, base.Hostname())
		}
		if sender, err = mail.NewSMTPSender(cfg.SMTPURL, from); err != nil {
			return err
		}
	}
	p.Metrics = web.NewMetrics()
	p.Worker = mail.NewWorker(p.Store, sender, p.Log, cfg.MailInterval, base.Hostname())
	p.Worker.OnPass = p.Metrics.SetOutboxBacklog
	p.Worker.Composer = p.Mail
	p.Auth = &auth.Service{Store: p.Store, Mail: p.Mail, WakeMail: p.Worker.Wake}
	p.Feedback = &feedback.Service{Store: p.Store, Mail: p.Mail, ContactEmail: cfg.ContactEmail, WakeMail: p.Worker.Wake}
	p.Notify = &notify.Service{Store: p.Store, Mail: p.Mail, Signer: p.Signer, BaseURL: cfg.BaseURL, WakeMail: p.Worker.Wake, Log: p.Log}
	p.buildLabs(base)
	p.Labs.Notify = p.Notify
	if err := p.buildPageCache(); err != nil {
		return err
	}
	p.Draft = &draft.Service{Store: p.Store, Mail: p.Mail, WakeMail: p.Worker.Wake, Notify: p.Notify}
	p.Events = events.New(p.Store, p.Mail, p.Signer, p.Worker.Wake, cfg.BaseURL, cfg.PlatformName, p.Log)
	p.Events.Notify = p.Notify
	p.Events.SetRegistrationsAtOnce(cfg.RegistrationsAtOnce)
	p.Metrics.Register(p.Events.Collectors()...)
	p.Abwaegung = &abwaegung.Service{Store: p.Store, Draft: p.Draft, Mail: p.Mail, WakeMail: p.Worker.Wake, Log: p.Log}
	p.Exports = export.NewJobs(&export.Service{Store: p.Store, T: p.I18n.Localizer("de").T}, p.Log)
	providers, err := p.loginProviders()
	if err != nil {
		return err
	}
	atlas, err := loadAtlas(cfg.GeoJSON)
	if err != nil {
		return err
	}
	// The counts of results pages: a tally of the bench survey (issue 15)
	// holds ~40 rows, one with a number question of wide range a few
	// thousand; 200,000 rows are ~20 MB at most.
	tallies, err := surveys.NewTallies(200_000)
	if err != nil {
		return err
	}
	p.Surveys = &surveys.Service{Store: p.Store, Geo: atlas, Notify: p.Notify, Log: p.Log, Tallies: tallies}
	p.Web, err = web.New(ctx, web.Config{
		BaseURL: cfg.BaseURL, Secure: base.Scheme == "https", PlatformName: cfg.PlatformName,
		A11yEmail: cfg.A11yEmail, A11yPhone: cfg.A11yPhone, MapTiles: cfg.MapTiles,
		BodyLimit: cfg.BodyLimit, TrustedProxies: cfg.TrustedProxies,
		MaxActiveRequests: p.Store.PoolSize(),
	}, web.Deps{
		Store: p.Store, Auth: p.Auth, Feedback: p.Feedback, Mail: p.Mail, WakeMail: p.Worker.Wake, I18n: p.I18n,
		Views: views.FS, Static: static.FS, OpenAPI: docs.OpenAPI, Signer: p.Signer, Log: p.Log,
		Metrics: p.Metrics, Providers: providers,
		Labs: p.Labs, Hub: p.Hub,
		Draft:     p.Draft,
		Events:    p.Events,
		Exports:   p.Exports,
		Abwaegung: p.Abwaegung,
		Geo:       atlas,
		Notify:    p.Notify,
		Pages:     p.Pages,
		Surveys:   p.Surveys,
	})
	return err
}

// loadAtlas reads the Ortsteil boundaries: the embedded ones, or the file
// MITWIRKEN_GEOJSON names (refused with the feature and reason when bad).
func loadAtlas(path string) (*geo.Atlas, error) {
	if path == "" {
		return geo.Default()
	}
	a, err := geo.LoadFile(path)
	if err != nil {
		return nil, fmt.Errorf("MITWIRKEN_GEOJSON: %w", err)
	}
	return a, nil
}

func (p *Platform) loginProviders() ([]*auth.Provider, error) {
	cfg := p.Config
	callback := func(slug string) string { return strings.TrimRight(cfg.BaseURL, "/") + "/auth/" + slug + "/callback" }
	var out []*auth.Provider
	if cfg.OIDCIssuer != "" {
		out = append(out, auth.NewOIDCProvider(cfg.OIDCIssuer, cfg.OIDCClientID, cfg.OIDCSecret, cfg.OIDCName, callback("oidc")))
	}
	for _, o := range cfg.OAuthProviders {
		prov, err := auth.NewOAuthProvider(o.Name, o.Key, o.Secret, o.Label, callback(o.Name))
		if err != nil {
			return nil, err
		}
		out = append(out, prov)
	}
	return out, nil
}

// useAuditKeys keys the audit chain and records a changed key as an entry.
func (p *Platform) useAuditKeys(ctx context.Context) error {
	if err := p.Store.UseAuditKeys(ctx, p.Config.AuditSecrets()); err != nil {
		return fmt.Errorf("audit keys: %w", err)
	}
	return p.Store.RotateAuditKey(ctx)
}

// secretKey is the configured key or one generated once and shared by every
// instance through the settings table.
func (p *Platform) secretKey(ctx context.Context) ([]byte, error) {
	if p.Config.SecretKey != "" {
		return []byte(p.Config.SecretKey), nil
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	v, err := p.Store.EnsureSetting(ctx, "secret_key", hex.EncodeToString(b))
	if err != nil {
		return nil, err
	}
	return []byte(v), nil
}

// URL is the address the instance listens on.
func (p *Platform) URL() string { return "http://" + p.listener.Addr().String() }

// Start serves HTTP and runs the background workers until Close.
func (p *Platform) Start() {
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	p.Events.Background = ctx // background draw computations end with the platform
	p.server = &http.Server{
		Handler:           p.Web.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(p.Log.Handler(), slog.LevelWarn),
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		if err := p.server.Serve(p.listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
			p.Log.Error("http server stopped", "err", err)
		}
	}()
	p.runEvery(ctx, 0, "mail", p.Worker.Run)
	p.runEvery(ctx, time.Hour, "housekeeping", p.housekeeping)
	p.runEvery(ctx, 10*time.Second, "token use", p.flushTokenUse)
	p.startLabs(ctx)
	p.runEvery(ctx, events.JobInterval*time.Second, "events", p.Events.RunJobs)
	p.runEvery(ctx, 0, "exports", p.Exports.Run)
	p.runEvery(ctx, 10*time.Minute, "similar index", p.indexSimilar)
	p.runEvery(ctx, abwaegung.JobInterval*time.Second, "abwaegung", p.Abwaegung.RunJobs)
	p.runEvery(ctx, notify.JobInterval*time.Second, "notification digests", p.Notify.RunJobs)
	p.runEvery(ctx, surveys.JobInterval*time.Second, "surveys", p.Surveys.RunJobs)
	p.Log.Info("mitwirken started", "url", p.Config.BaseURL, "listen", p.listener.Addr().String(), "database", p.Store.Dialect())
}

// runEvery runs fn in the background: once (interval 0, fn loops itself) or
// every interval until the platform closes.
func (p *Platform) runEvery(ctx context.Context, interval time.Duration, name string, fn func(context.Context)) {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		if interval == 0 {
			fn(ctx)
			return
		}
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			fn(ctx)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

// Close stops accepting requests, waits for in-flight ones up to the
// shutdown timeout, stops the workers and closes the database.
func (p *Platform) Close() error {
	timeout := p.Config.ShutdownTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var err error
	if p.Hub != nil {
		p.Hub.Close() // websockets are hijacked: Shutdown does not end them
	}
	if p.server != nil {
		err = p.server.Shutdown(ctx)
	} else {
		p.listener.Close()
	}
	if p.cancel != nil {
		p.cancel()
	}
	p.wg.Wait()
	p.flushTokenUse(context.Background())
	if cerr := p.Store.Close(); err == nil {
		err = cerr
	}
	return err
}

// tuneGC lets the heap grow to three times the live data before a
// collection (GOGC=200) unless GOGC is set: the server allocates a lot of
// short-lived data per request, and on small machines collecting half as
// often buys noticeably more throughput for a few dozen MB of memory.
// In a container with a memory limit the collector also works harder as
// the heap nears 90 % of the limit (setMemoryLimit).
func tuneGC(log *slog.Logger) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	setMemoryLimit(containerMemory, log)
}

// setMemoryLimit sets the Go memory limit to 90 % of what limit reports,
// unless GOMEMLIMIT is set (or AUTOMEMLIMIT=off). Without it, a burst (an
// export, password checks) lets the heap grow to three times the live data
// whatever the container's limit, and Kubernetes kills the pod instead of
// the collector running sooner. automemlimit reads cgroup v1 and v2.
func setMemoryLimit(limit memlimit.Provider, log *slog.Logger) {
	if n, err := memlimit.Set(memlimit.WithProvider(limit), memlimit.WithLogger(log)); err == nil && n < math.MaxInt64 {
		log.Info("memory limit from the container", "gomemlimit_mib", n>>20)
	}
}

// containerMemory is the cgroup's memory limit; outside a container, or in
// one without a limit, there is none.
func containerMemory() (uint64, error) {
	n, err := memlimit.FromCgroup()
	if err != nil {
		return 0, memlimit.ErrNoLimit
	}
	return n, nil
}

// NewLogger builds the structured logger. Attributes whose names suggest
// personal data or secrets are redacted, as a second line of defence.
func NewLogger(format, level string, out io.Writer) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(level))
	opts := &slog.HandlerOptions{Level: lvl, ReplaceAttr: redact}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(out, opts))
	}
	return slog.New(slog.NewTextHandler(out, opts))
}

func redact(_ []string, a slog.Attr) slog.Attr {
	k := strings.ToLower(a.Key)
	for _, s := range []string{"password", "token", "email", "secret", "cookie", "authorization"} {
		if strings.Contains(k, s) {
			return slog.String(a.Key, "[redacted]")
		}
	}
	return a
}
