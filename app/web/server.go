// Package web is the HTTP interface of mitwirken: server-rendered pages
// (html/template, Post/Redirect/Get, no JavaScript required) and the JSON API
// under /api/v1/, both on echo. One file per resource; every handler has the
// same shape: bind, validate, call the store or a service, then re-render
// the form with errors or redirect.
package web

import (
	"context"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/labstack/gommon/bytes"

	"github.com/mitwirken/mitwirken/app"
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
)

// Config is the part of the platform configuration the web layer needs.
type Config struct {
	BaseURL      string
	Secure       bool // cookies only over https
	PlatformName string
	// A11yEmail and A11yPhone are the feedback contact of the
	// accessibility statement.
	A11yEmail, A11yPhone string
	// MapTiles is the tile service beneath the JavaScript map ("" none).
	MapTiles  string
	BodyLimit string // e.g. "2M"
	// TrustedProxies are the networks whose X-Forwarded-For is believed.
	TrustedProxies []string
	// MaxActiveRequests bounds the requests at work at once (the others wait
	// in line); 0 means no bound.
	MaxActiveRequests int
}

// Deps are the services the handlers call.
type Deps struct {
	Store     *store.Store
	Auth      *auth.Service
	Feedback  *feedback.Service
	Mail      *mail.Composer
	WakeMail  func()
	I18n      *i18n.Bundle
	Views     fs.FS
	Static    fs.FS
	Signer    *auth.Signer
	Log       *slog.Logger
	Metrics   *Metrics
	Providers []*auth.Provider
	// OpenAPI holds docs/openapi/*.json.
	OpenAPI fs.FS
	Labs    *labs.Service
	Hub     *realtime.Hub
	// Draft runs the draft for comment and the contribution pipeline.
	Draft  *draft.Service
	Events *events.Service
	// Exports queues and runs the result exports (issue 7).
	Exports *export.Jobs
	// Abwaegung runs the assessment workflow (issue 13).
	Abwaegung *abwaegung.Service
	// Geo holds the Ortsteil boundaries (issue 14); nil means the embedded ones.
	Geo *geo.Atlas
	// Notify runs following and notifications (issue 15).
	Notify *notify.Service
	// Pages keeps rendered pages for anonymous readers (issue 16); nil: off.
	Pages *pagecache.Cache
	// Surveys runs the surveys (Umfragen, issue 15).
	Surveys *surveys.Service
}

// Server holds the echo instance and everything the handlers use.
type Server struct {
	cfg       Config
	store     *store.Store
	auth      *auth.Service
	feedback  *feedback.Service
	mail      *mail.Composer
	wakeMail  func()
	i18n      *i18n.Bundle
	signer    *auth.Signer
	log       *slog.Logger
	metrics   *Metrics
	providers map[string]*auth.Provider
	tmpl      *templates
	openapi   []byte
	static    *staticAssets
	site      *Site
	ref       *store.RefData
	e         *echo.Echo
	labs      *labs.Service
	hub       *realtime.Hub
	draft     *draft.Service
	events    *events.Service
	exports   *export.Jobs
	abw       *abwaegung.Service
	geo       *geo.Atlas
	notify    *notify.Service
	pages     *pagecache.Cache
	// cachedRoutes are the routes whose pages the page cache keeps.
	cachedRoutes map[string]bool
	surveys      *surveys.Service
	// streamRoutes are the long downloads not counted by admission (filled
	// while the routes are set up, read-only afterwards).
	streamRoutes map[string]bool
	// turnRoutes are the registrations that take their turn before
	// admission ("METHOD path", see registrationTurns).
	turnRoutes map[string]bool
	// socketRoutes are the websocket endpoints (see admissionExempt).
	socketRoutes map[string]bool
	// uploadRoutes take a work sheet up to app.MaxUploadBytes, more than
	// the body limit of other requests (see bodyLimitOf).
	uploadRoutes map[string]bool
	bodyLimit    int64
	// reports and auditChecks keep the admin's expensive figures.
	snapshotsMu sync.Mutex
	reports     map[string]*snapshot[*export.Report]
	auditChecks *snapshot[auditCheck]
}

// New builds the server and its routes.
func New(ctx context.Context, cfg Config, d Deps) (*Server, error) {
	if cfg.BodyLimit == "" {
		cfg.BodyLimit = "2M"
	}
	s := &Server{
		cfg: cfg, store: d.Store, auth: d.Auth, feedback: d.Feedback, mail: d.Mail, wakeMail: d.WakeMail, i18n: d.I18n,
		signer: d.Signer, log: d.Log, metrics: d.Metrics, providers: map[string]*auth.Provider{}, streamRoutes: map[string]bool{}, turnRoutes: map[string]bool{},
		socketRoutes: map[string]bool{}, uploadRoutes: map[string]bool{}, reports: map[string]*snapshot[*export.Report]{},
		site: &Site{Name: cfg.PlatformName, A11yEmail: cfg.A11yEmail, A11yPhone: cfg.A11yPhone},
		labs: d.Labs, hub: d.Hub,
	}
	s.auditChecks = newSnapshot("audit chain check", d.Store.Now, d.Log, func(ctx context.Context) (auditCheck, error) {
		checked, broken, err := d.Store.VerifyAudit(ctx)
		return auditCheck{Checked: checked, Broken: broken}, err
	})
	s.draft = d.Draft
	s.events = d.Events
	s.exports = d.Exports
	s.abw = d.Abwaegung
	s.notify = d.Notify
	s.pages = d.Pages
	s.cachedRoutes = map[string]bool{}
	s.surveys = d.Surveys
	for _, p := range d.Providers {
		s.providers[p.Slug] = p
		s.site.Providers = append(s.site.Providers, ProviderButton{Slug: p.Slug, Label: p.Label})
	}
	var err error
	if s.bodyLimit, err = bytes.Parse(cfg.BodyLimit); err != nil {
		return nil, err
	}
	if s.site.TileHost, err = tileHost(cfg.MapTiles); err != nil {
		return nil, err
	}
	s.site.MapTiles = cfg.MapTiles
	if s.static, err = newStaticAssets(d.Static); err != nil {
		return nil, err
	}
	if s.tmpl, err = parseTemplates(d.Views, templateFuncs()); err != nil {
		return nil, err
	}
	if s.openapi, err = mergeOpenAPI(d.OpenAPI); err != nil {
		return nil, err
	}
	if s.ref, err = d.Store.LoadRefData(ctx); err != nil {
		return nil, err
	}
	if s.geo = d.Geo; s.geo == nil {
		if s.geo, err = geo.Default(); err != nil {
			return nil, err
		}
	}
	// Every Ortsteil of the reference data needs exactly one shape.
	if err = s.geo.Link(s.ref.Ortsteile, s.ref.Stadtbezirke); err != nil {
		return nil, err
	}
	// Points on contributions are checked against the boundaries the
	// server draws, which are only known here.
	if s.draft != nil {
		s.draft.Locate = s.locatePoint
	}
	if s.events != nil {
		s.events.Locate = s.locatePoint
	}
	s.e = echo.New()
	s.e.HideBanner, s.e.HidePort = true, true
	s.e.HTTPErrorHandler = s.handleError
	s.e.IPExtractor = ipExtractor(cfg.TrustedProxies)
	s.middleware()
	s.routes()
	return s, nil
}

// Handler is the HTTP handler of the whole platform. HEAD is answered like
// GET: the routes see a GET, and net/http drops the body because the
// request it answers is still the HEAD.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			get := r.Clone(r.Context())
			get.Method = http.MethodGet
			r = get
		}
		s.e.ServeHTTP(w, r)
	})
}

func (s *Server) middleware() {
	s.e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: http.StatusMovedPermanently}))
	s.e.Use(s.recoverPanics)
	s.e.Use(s.observe)
	s.e.Use(s.securityHeaders)
	s.e.Use(readBody(s.bodyLimitOf))
	s.e.Use(s.registrationTurns)
	if s.cfg.MaxActiveRequests > 0 {
		s.e.Use(admission(s.cfg.MaxActiveRequests, s.admissionExempt))
	}
	s.e.Use(s.loadSession)
	s.e.Use(s.chooseLanguage)
	s.e.Use(s.csrf)
}

func ipExtractor(trusted []string) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	// Echo trusts loopback, link-local and private ranges by default: then
	// any client from such a range could name its own IP. Trust exactly the
	// configured proxies.
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, cidr := range trusted {
		if n, err := ParseTrustedProxy(cidr); err == nil {
			opts = append(opts, echo.TrustIPRange(n))
		}
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"field":       field,
		"withOptions": withOptions,
		"langRepost":  func(v *View, lang, name string) langRepost { return langRepost{V: v, Lang: lang, Name: name} },
		"withGroups":  withGroups,
		// msg builds a message for an argument of T: {{.T "x" "Seats" (msg "events.n_seats" "Count" 3)}}.
		"msg":       app.M,
		"add":       func(a, b int) int { return a + b },
		"pages":     pageNumbers,
		"pager":     func(v *View, p pagination) pagerView { return pagerView{V: v, P: p} },
		"hasPrefix": strings.HasPrefix,
		"list":      func(items ...string) []string { return items },
		"languageOptions": func(v *View) []Option {
			return []Option{{Value: "de", Label: "Deutsch"}, {Value: "en", Label: "English"}}
		},
		"selectionField": selectionField,
		"followOf":       followOf,
		"followFormatOf": followFormatOf,
	}
}

func atoiDefault(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return n
}
