package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app/pagecache"
)

// ctxPageCache holds the pageCapture of a request whose page may be stored.
const ctxPageCache = "mw.pagecache"

// pageCacheControl lets browsers and a CDN keep a page but ask each time
// whether it is still current (a 304 costs no rendering).
const pageCacheControl = "public, max-age=0, must-revalidate"

// pageCapture is where render stores the page of a cacheable request.
type pageCapture struct {
	key      string
	version  uint64
	rendered time.Time
}

// cachedGET registers a page that readers without a session get from the
// page cache; scope names the content it shows.
func (s *Server) cachedGET(path string, h echo.HandlerFunc, scope pagecache.Scope) {
	s.cachedRoutes[path] = true
	s.e.GET(path, h, s.cachedPage(scope))
}

// cachedPage serves a page to readers without a session from the page
// cache, and stores what it renders for them (issue 16).
func (s *Server) cachedPage(scope pagecache.Scope) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if !s.pageCacheable(c) {
				return next(c)
			}
			// The version is read before the handler loads the content: a
			// change meanwhile makes the stored page stale, never the reverse.
			version, ok := s.pages.Version(c.Request().Context(), scope)
			if !ok {
				return next(c)
			}
			key := string(scope) + " " + localizer(c).Lang() + " " + c.Request().URL.RequestURI()
			if p := s.pages.Get(key, version); p != nil {
				c.Response().Header().Set("X-Page-Cache", "hit")
				return servePage(c, p)
			}
			c.Set(ctxPageCache, &pageCapture{key: key, version: version, rendered: s.pages.Now()})
			return next(c)
		}
	}
}

// pageCacheable: a GET of a cached page type by someone without a session
// and without a one-time message. Such pages hold nothing personal: no
// name, no CSRF token (the csrf middleware gives none to these requests),
// no flash. Choosing the language (?lang=) sets a cookie and is not cached.
func (s *Server) pageCacheable(c echo.Context) bool {
	if s.pages == nil || !s.cachedRoutes[c.Path()] {
		return false
	}
	r := c.Request()
	if r.Method != http.MethodGet || currentUser(c) != nil || r.Header.Get(echo.HeaderAuthorization) != "" || c.QueryParams().Has("lang") {
		return false
	}
	for _, name := range []string{cookieSession, cookieFlash} {
		if _, err := c.Cookie(name); err == nil {
			return false
		}
	}
	return true
}

// storePage keeps a page rendered for a cacheable request and serves it;
// false when the request is not cacheable or the answer is not a plain 200.
func (s *Server) storePage(c echo.Context, status int, body []byte) (bool, error) {
	pc, ok := c.Get(ctxPageCache).(*pageCapture)
	if !ok || status != http.StatusOK || len(c.Response().Header().Values(echo.HeaderSetCookie)) > 0 {
		return false, nil
	}
	c.Response().Header().Set("X-Page-Cache", "miss")
	return true, servePage(c, s.pages.Put(pc.key, pc.version, body, pc.rendered))
}

func servePage(c echo.Context, p *pagecache.Page) error {
	h := c.Response().Header()
	h.Set(echo.HeaderCacheControl, pageCacheControl)
	h.Set("ETag", p.ETag)
	// The language follows the cookie or Accept-Language; a session cookie
	// makes the page personal.
	h.Set(echo.HeaderVary, "Cookie, Accept-Language")
	if etagMatches(c.Request().Header.Get("If-None-Match"), p.ETag) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.HTMLBlob(http.StatusOK, p.Body)
}

// etagMatches implements the weak comparison of If-None-Match (RFC 9110
// 13.1.2): any listed tag, with or without W/, or "*".
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}
