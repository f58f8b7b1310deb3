package web

import (
	"fmt"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/i18n"
)

// Context keys.
const (
	ctxUser      = "mw.user"
	ctxSession   = "mw.session"
	ctxBearer    = "mw.bearer"
	ctxLocalizer = "mw.localizer"
	ctxCSRF      = "mw.csrf"
)

// Cookie names.
const (
	cookieSession = "mw_session"
	cookieLang    = "mw_lang"
	cookieFlash   = "mw_flash"
)

var errCSRF = app.Errorf(app.CodeForbidden, "error.csrf")

func currentUser(c echo.Context) *app.User {
	u, _ := c.Get(ctxUser).(*app.User)
	return u
}

func currentSession(c echo.Context) *app.Session {
	s, _ := c.Get(ctxSession).(*app.Session)
	return s
}

func localizer(c echo.Context) *i18n.Localizer {
	l, _ := c.Get(ctxLocalizer).(*i18n.Localizer)
	return l
}

func csrfToken(c echo.Context) string {
	t, _ := c.Get(ctxCSRF).(string)
	return t
}

func isAPI(c echo.Context) bool { return strings.HasPrefix(c.Request().URL.Path, "/api/") }

// isInfra marks requests that need neither session nor language.
func isInfra(c echo.Context) bool {
	p := c.Request().URL.Path
	return strings.HasPrefix(p, "/static/") || p == "/healthz" || p == "/readyz" || p == "/metrics"
}

func bearerToken(c echo.Context) (string, bool) {
	h := c.Request().Header.Get(echo.HeaderAuthorization)
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:]), true
	}
	return "", false
}

// skipCSRF exempts bearer-token API calls (no cookie, so no forgery) and
// infrastructure endpoints.
func skipCSRF(c echo.Context) bool {
	if isInfra(c) || isUnsubscribe(c) {
		return true
	}
	_, bearer := bearerToken(c)
	return bearer && isAPI(c)
}

func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				s.log.Error("panic", "path", c.Request().URL.Path, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = app.Internal(fmt.Errorf("panic: %v", r))
			}
		}()
		return next(c)
	}
}

// observe handles the error itself (so the final status is known), then logs
// and counts the request. Only the path is logged: query strings may hold
// tokens.
func (s *Server) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		if err := next(c); err != nil {
			s.handleError(err, c)
		}
		d := time.Since(start)
		status := c.Response().Status
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		if s.metrics != nil {
			s.metrics.observe(c.Request().Method, route, status, d)
		}
		if !isInfra(c) {
			level := slogLevel(status)
			s.log.Log(c.Request().Context(), level, "request", "method", c.Request().Method, "path", c.Request().URL.Path,
				"route", route, "status", status, "duration_ms", float64(d.Microseconds())/1000)
		}
		return nil
	}
}

func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	// The tile service, when configured, is the only other server a page
	// may load from (images only).
	img := "img-src 'self' data:"
	if s.site.TileHost != "" {
		img += " " + s.site.TileHost
	}
	csp := strings.Join([]string{
		"default-src 'self'", "script-src 'self'", "style-src 'self'", img,
		"font-src 'self'", "connect-src 'self'", "form-action 'self'", "frame-ancestors 'none'",
		"base-uri 'self'", "object-src 'none'",
	}, "; ")
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		if s.cfg.Secure {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		return next(c)
	}
}

// loadSession finds the person behind the request: a bearer token on the
// API, otherwise the session cookie.
func (s *Server) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if isInfra(c) {
			return next(c)
		}
		ctx := c.Request().Context()
		if token, ok := bearerToken(c); ok && isAPI(c) {
			u, err := s.auth.APITokenUser(ctx, token)
			if err != nil {
				if app.ErrorCode(err) == app.CodeNotFound {
					return app.Errorf(app.CodeUnauthorized, "error.token_invalid")
				}
				return err
			}
			c.Set(ctxUser, u)
			c.Set(ctxBearer, true)
			return next(c)
		}
		if ck, err := c.Cookie(cookieSession); err == nil && ck.Value != "" {
			sess, u, err := s.auth.SessionUser(ctx, ck.Value)
			switch {
			case err == nil:
				c.Set(ctxUser, u)
				c.Set(ctxSession, sess)
			case app.ErrorCode(err) == app.CodeNotFound:
				s.clearCookie(c, cookieSession)
			default:
				return err
			}
		}
		return next(c)
	}
}

// chooseLanguage picks German or English: an explicit ?lang= (remembered in
// a cookie), then the cookie, then the account's language, then
// Accept-Language.
func (s *Server) chooseLanguage(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		choice := c.QueryParam("lang")
		if choice == "de" || choice == "en" {
			s.setCookie(c, cookieLang, choice, 365*24*time.Hour)
		} else if ck, err := c.Cookie(cookieLang); err == nil {
			choice = ck.Value
		} else if u := currentUser(c); u != nil {
			choice = u.Locale
		}
		c.Set(ctxLocalizer, s.i18n.Localizer(i18n.Match(choice, c.Request().Header.Get("Accept-Language"))))
		return next(c)
	}
}

func (s *Server) setCookie(c echo.Context, name, value string, maxAge time.Duration) {
	c.SetCookie(&http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: int(maxAge.Seconds()),
		HttpOnly: true, Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) clearCookie(c echo.Context, name string) {
	c.SetCookie(&http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode})
}

// ParseTrustedProxy reads one entry of MITWIRKEN_TRUSTED_PROXIES: a network
// in CIDR notation or a single address.
func ParseTrustedProxy(s string) (*net.IPNet, error) {
	if !strings.Contains(s, "/") {
		if strings.Contains(s, ":") {
			s += "/128"
		} else {
			s += "/32"
		}
	}
	_, n, err := net.ParseCIDR(s)
	return n, err
}
