package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
)

// render writes a page. It renders into a buffer first, so that a template
// error becomes a clean 500 instead of half a page.
func (s *Server) render(c echo.Context, status int, page string, v *View) error {
	var buf bytes.Buffer
	if err := s.tmpl.render(&buf, page, v); err != nil {
		return app.Internal(err)
	}
	// An error summary names each field as the page labels it: the labels
	// are known once the page is rendered, so a page with errors is
	// rendered a second time with them.
	if f := v.Form; f.HasErrors() && len(f.Order) > 0 && f.Labels == nil {
		f.Labels = fieldLabels(buf.Bytes(), f.Order)
		buf.Reset()
		if err := s.tmpl.render(&buf, page, v); err != nil {
			return app.Internal(err)
		}
	}
	if stored, err := s.storePage(c, status, buf.Bytes()); stored {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

// page renders a page with status 200.
func (s *Server) page(c echo.Context, page, title string, data any) error {
	return s.render(c, http.StatusOK, page, s.view(c, title, data))
}

// formPage renders a page with a form prefilled from values (for the first
// GET of an edit form).
func (s *Server) formPage(c echo.Context, page, title string, values url.Values, data any) error {
	v := s.view(c, title, data)
	v.Form = &Form{Values: values, Errors: map[string]string{}}
	return s.render(c, http.StatusOK, page, v)
}

// formError re-renders a form after a failed action: the submitted values,
// the message next to each field and the summary. Errors that are not about
// the input (not found, forbidden, internal) go to the error page instead.
func (s *Server) formError(c echo.Context, page, title string, err error, data any) error {
	e, ok := app.AsError(err)
	if !ok {
		return err
	}
	switch e.Code {
	case app.CodeInvalid, app.CodeConflict, app.CodeTooMany, app.CodeGone:
	default:
		return err
	}
	values, _ := c.FormParams()
	v := s.view(c, title, data)
	v.Form = newForm(values, e, localizer(c))
	if e.RetryAfter > 0 {
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds()+0.999)))
	}
	return s.render(c, e.Code.HTTPStatus(), page, v)
}

// redirect answers a successful POST (Post/Redirect/Get), optionally with a
// one-time message for the next page.
func (s *Server) redirect(c echo.Context, to, flashID string) error {
	if flashID != "" {
		s.setCookie(c, cookieFlash, s.signer.Sign("flash", flashID, time.Minute), time.Minute)
	}
	return c.Redirect(http.StatusSeeOther, to)
}

func (s *Server) takeFlash(c echo.Context) []string {
	ck, err := c.Cookie(cookieFlash)
	if err != nil {
		return nil
	}
	s.clearCookie(c, cookieFlash)
	id, ok := s.signer.Verify("flash", ck.Value)
	if !ok {
		return nil
	}
	return []string{localizer(c).T(id)}
}

// bind reads a form or JSON body into dst; malformed input is a bad request.
func bind(c echo.Context, dst any) error {
	if err := c.Bind(dst); err != nil {
		return &app.Error{Code: app.CodeInvalid, Msg: app.M("error.bad_request"), Err: err}
	}
	return nil
}

// safeNext keeps redirects (after login, "back" links, external login) on
// this site. It accepts only a path that parses as a same-origin relative
// URL as it stands: any control character (C0, DEL, C1), whitespace,
// backslash or a second leading slash, also percent-encoded (once or more),
// falls back to "/". Browsers strip tabs and newlines and read "\" as "/",
// so "/\t/evil.example" would otherwise lead to //evil.example.
func safeNext(next string) string {
	if !safePath(next) {
		return "/"
	}
	return next
}

func safePath(p string) bool {
	if len(p) > 2000 || !strings.HasPrefix(p, "/") {
		return false
	}
	// Check the value and each decoding of it, so that encoded forms of
	// the forbidden characters are refused too.
	for i := 0; i < 4; i++ {
		if !utf8.ValidString(p) || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
			return false
		}
		for _, r := range p {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\\' || unicode.IsSpace(r) ||
				unicode.In(r, unicode.Zs, unicode.Zl, unicode.Zp, unicode.Cc, unicode.Cf) {
				return false
			}
		}
		u, err := url.Parse(p)
		if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
			return false
		}
		dec, err := url.PathUnescape(p)
		if err != nil {
			return false
		}
		if dec == p {
			return true
		}
		p = dec
	}
	return false // encoded more often than any honest link
}

func pathID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, app.NotFound()
	}
	return id, nil
}

func queryInt(c echo.Context, name string, def int) int {
	n, err := strconv.Atoi(c.QueryParam(name))
	if err != nil || n < 1 {
		return def
	}
	return n
}

// pagination is what the pagination partial renders.
type pagination struct {
	Page, PerPage int
	Total         int64
	Base          url.Values
	Path          string
}

func (p pagination) Last() int {
	if p.PerPage <= 0 {
		return 1
	}
	n := int((p.Total + int64(p.PerPage) - 1) / int64(p.PerPage))
	if n < 1 {
		return 1
	}
	return n
}

// URL links to another page with the same filters.
func (p pagination) URL(page int) string {
	q := url.Values{}
	for k, v := range p.Base {
		q[k] = v
	}
	q.Set("page", strconv.Itoa(page))
	return p.Path + "?" + q.Encode()
}

// pagerView gives the pagination partial the page's translations.
type pagerView struct {
	V *View
	P pagination
}

func pageNumbers(p pagination) []int {
	var out []int
	for i := 1; i <= p.Last(); i++ {
		if i == 1 || i == p.Last() || (i >= p.Page-2 && i <= p.Page+2) {
			out = append(out, i)
		}
	}
	return out
}
