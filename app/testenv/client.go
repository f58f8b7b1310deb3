package testenv

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/mitwirken/mitwirken/app"
)

// Client is a cookie-keeping HTTP client that submits forms like a browser
// without JavaScript: it sends the CSRF token the page carries.
type Client struct {
	t    testing.TB
	base *url.URL
	HTTP *http.Client
}

// Response is an answer with its HTML parsed.
type Response struct {
	Status int
	Body   string
	Header http.Header
	URL    *url.URL
	Doc    *goquery.Document
}

// Client returns a new, logged-out client for the app.
func (a *App) Client(t testing.TB) *Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	base, _ := url.Parse(a.URL)
	return &Client{t: t, base: base, HTTP: &http.Client{Jar: jar}}
}

// SessionClient returns a client logged in as u (the session is created
// directly, without the password form).
func (a *App) SessionClient(t testing.TB, u *app.User) *Client {
	t.Helper()
	c := a.Client(t)
	token, err := a.Platform.Auth.StartSession(context.Background(), u, "testenv")
	if err != nil {
		t.Fatalf("start session: %v", err)
	}
	c.HTTP.Jar.SetCookies(c.base, []*http.Cookie{{Name: "mw_session", Value: token, Path: "/"}})
	return c
}

// NoRedirects makes the client return redirects instead of following them.
func (c *Client) NoRedirects() *Client {
	c.HTTP.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// Cookie returns the value of a cookie the client holds.
func (c *Client) Cookie(name string) string {
	for _, ck := range c.HTTP.Jar.Cookies(c.base) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// CSRF returns the CSRF token, fetching a page first when there is none.
func (c *Client) CSRF() string {
	if tok := c.Cookie("mw_csrf"); tok != "" {
		return tok
	}
	c.Get("/")
	return c.Cookie("mw_csrf")
}

// Do sends a request and parses the answer.
func (c *Client) Do(req *http.Request) *Response {
	c.t.Helper()
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("read %s: %v", req.URL, err)
	}
	r := &Response{Status: resp.StatusCode, Body: string(body), Header: resp.Header, URL: resp.Request.URL}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		r.Doc, _ = goquery.NewDocumentFromReader(bytes.NewReader(body))
	}
	return r
}

// Get fetches a path ("/profil?x=1").
func (c *Client) Get(path string) *Response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.abs(path), nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.Do(req)
}

func (c *Client) abs(path string) string {
	u, err := c.base.Parse(path)
	if err != nil {
		c.t.Fatalf("bad path %q: %v", path, err)
	}
	return u.String()
}

// PostForm posts form values with the CSRF token added.
func (c *Client) PostForm(path string, values url.Values) *Response {
	c.t.Helper()
	v := url.Values{}
	for k, vals := range values {
		v[k] = vals
	}
	if v.Get("_csrf") == "" {
		v.Set("_csrf", c.CSRF())
	}
	return c.PostRaw(path, "application/x-www-form-urlencoded", []byte(v.Encode()))
}

// PostRaw posts a body as is (no CSRF token added).
func (c *Client) PostRaw(path, contentType string, body []byte) *Response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.abs(path), bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	return c.Do(req)
}

// Submit fills the form matched by selector on a page with its current
// values (hidden fields included), overrides some, and submits it.
func (c *Client) Submit(page *Response, selector string, fields url.Values) *Response {
	c.t.Helper()
	form := c.find(page, "form", selector)
	return c.send(form, form.AttrOr("action", page.URL.Path), fields)
}

// Press submits the form of the button found by selector as a browser
// does: the button's form attribute (or the form around it) gives the
// fields, its formaction (or the form's action) the address.
func (c *Client) Press(page *Response, selector string, fields url.Values) *Response {
	c.t.Helper()
	button := c.find(page, "button", selector)
	form := button.Closest("form")
	if id, ok := button.Attr("form"); ok {
		form = page.Doc.Find("form#" + id)
	}
	if form.Length() == 0 {
		c.t.Fatalf("button %q on %s has no form", selector, page.URL)
	}
	return c.send(form, button.AttrOr("formaction", form.AttrOr("action", page.URL.Path)), fields)
}

// find is the first element of a page matched by selector; what names it
// in the failure.
func (c *Client) find(page *Response, what, selector string) *goquery.Selection {
	c.t.Helper()
	if page.Doc == nil {
		c.t.Fatalf("page %s is not HTML", page.URL)
	}
	el := page.Doc.Find(selector).First()
	if el.Length() == 0 {
		c.t.Fatalf("no %s %q on %s", what, selector, page.URL)
	}
	return el
}

func (c *Client) send(form *goquery.Selection, action string, fields url.Values) *Response {
	values := url.Values{}
	form.Find("input, textarea, select").Each(func(_ int, s *goquery.Selection) {
		name, ok := s.Attr("name")
		if !ok {
			return
		}
		switch {
		case goquery.NodeName(s) == "textarea":
			values.Set(name, s.Text())
		case goquery.NodeName(s) == "select":
			if v, ok := s.Find("option[selected]").Attr("value"); ok {
				values.Set(name, v)
			}
		default:
			typ, _ := s.Attr("type")
			if (typ == "checkbox" || typ == "radio") && s.AttrOr("checked", "-") == "-" {
				return
			}
			values.Add(name, s.AttrOr("value", ""))
		}
	})
	for k, v := range fields {
		values[k] = v
	}
	method := strings.ToUpper(form.AttrOr("method", "GET"))
	if method == http.MethodGet {
		return c.Get(action + "?" + values.Encode())
	}
	return c.PostRaw(action, "application/x-www-form-urlencoded", []byte(values.Encode()))
}

// JSON sends a JSON request to the API with the session's CSRF token and
// decodes the answer into out (if not nil). It returns the status.
func (c *Client) JSON(method, path string, body, out any, headers ...string) int {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.abs(path), rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if method != http.MethodGet {
		req.Header.Set("X-CSRF-Token", c.CSRF())
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	r := c.Do(req)
	if out != nil && len(r.Body) > 0 {
		if err := json.Unmarshal([]byte(r.Body), out); err != nil {
			c.t.Fatalf("%s %s: decode %q: %v", method, path, r.Body, err)
		}
	}
	return r.Status
}

// Login logs in through the real login form.
func (c *Client) Login(email, password string) *Response {
	c.t.Helper()
	return c.Submit(c.Get("/anmelden"), "main form[action='/anmelden']", url.Values{"email": {email}, "password": {password}})
}

// Text is the whitespace-normalised text of the page's main element.
func (r *Response) Text() string {
	if r.Doc == nil {
		return r.Body
	}
	return strings.Join(strings.Fields(r.Doc.Find("main").Text()), " ")
}

// FieldError is the error shown next to a form field, "" if none.
func (r *Response) FieldError(name string) string {
	if r.Doc == nil {
		return ""
	}
	return strings.Join(strings.Fields(r.Doc.Find("#f-"+name+"-error").Text()), " ")
}
