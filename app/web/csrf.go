package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

const (
	cookieCSRF = "mw_csrf"
	csrfTTL    = 12 * time.Hour
)

// csrfBinding names what a CSRF token belongs to: the session (by its row
// id, which never leaves the server) or "anon" before login.
func csrfBinding(c echo.Context) string {
	if sess := currentSession(c); sess != nil {
		return "s" + strconv.FormatInt(sess.ID, 10)
	}
	return "anon"
}

// newCSRFToken is a random value signed together with the binding, so that
// a token from another session, or one planted before login, does not
// verify. The signing key is shared by every instance.
func (s *Server) newCSRFToken(binding string) string {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return s.signer.Sign("csrf", base64.RawURLEncoding.EncodeToString(b)+"|"+binding, csrfTTL)
}

func (s *Server) csrfTokenValid(token, binding string) bool {
	v, ok := s.signer.Verify("csrf", token)
	if !ok {
		return false
	}
	_, got, ok := strings.Cut(v, "|")
	return ok && subtle.ConstantTimeCompare([]byte(got), []byte(binding)) == 1
}

// csrf protects every state change: a browser's Sec-Fetch-Site must not say
// cross-site, and a request without that header (or same-site) must send
// the token of the mw_csrf cookie in the form field _csrf or the header
// X-CSRF-Token (double submit) — and the token must be signed for this
// session. Safe requests get a fresh token when theirs is missing or
// belongs to another session.
func (s *Server) csrf(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		// A page for the page cache carries no token: it is served to others.
		if skipCSRF(c) || s.pageCacheable(c) {
			return next(c)
		}
		req := c.Request()
		binding := csrfBinding(c)
		token := ""
		if ck, err := c.Cookie(cookieCSRF); err == nil && s.csrfTokenValid(ck.Value, binding) {
			token = ck.Value
		}
		safe := req.Method == http.MethodGet || req.Method == http.MethodHead || req.Method == http.MethodOptions || req.Method == http.MethodTrace
		if !safe {
			site := req.Header.Get("Sec-Fetch-Site")
			switch {
			case site == "cross-site":
				return errCSRF
			case site == "same-origin" || site == "none":
				// The browser vouches that our own page sent it.
			default:
				sent := req.Header.Get("X-CSRF-Token")
				if sent == "" {
					sent = c.FormValue("_csrf")
				}
				if token == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 {
					return errCSRF
				}
			}
		}
		if token == "" {
			token = s.newCSRFToken(binding)
			s.setCookie(c, cookieCSRF, token, csrfTTL)
		}
		c.Set(ctxCSRF, token)
		c.Response().Header().Add(echo.HeaderVary, echo.HeaderCookie)
		return next(c)
	}
}
