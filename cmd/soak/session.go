package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"
)

// session is one person's browser: a cookie jar shared by all instances
// (cookies do not depend on the port), requests spread over the instances
// like a load balancer without stickiness would, and redirects not
// followed, so that every answer is checked as it is.
type session struct {
	http      *http.Client
	jar       *cookiejar.Jar
	instances []string
	rec       *recorder
	rnd       *rand.Rand
	// last is the body and the redirect target of the last answer.
	lastBody     []byte
	lastLocation string
}

// transport is shared: keep-alive connections to the instances like the
// connection pool of a reverse proxy.
var transport = &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 64, IdleConnTimeout: time.Minute}

func newSession(instances []string, rec *recorder, seed uint64) *session {
	jar, _ := cookiejar.New(nil)
	return &session{
		http: &http.Client{Transport: transport, Jar: jar, Timeout: time.Minute,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		jar: jar, instances: instances, rec: rec, rnd: rand.New(rand.NewPCG(seed, seed^0x5eed)),
	}
}

func (s *session) base() string { return s.instances[s.rnd.IntN(len(s.instances))] }

// get loads a page and expects 200.
func (s *session) get(ctx context.Context, kind, path string) bool {
	return s.do(ctx, kind, http.MethodGet, path, nil, http.StatusOK)
}

// post sends a form with the CSRF token of the jar, as the page's form
// would, and expects the redirect after a successful change (PRG).
func (s *session) post(ctx context.Context, kind, path string, form url.Values) bool {
	form.Set("_csrf", s.cookie("mw_csrf"))
	return s.do(ctx, kind, http.MethodPost, path, form, http.StatusSeeOther)
}

func (s *session) do(ctx context.Context, kind, method, path string, form url.Values, want int) bool {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, s.base()+path, body)
	if err != nil {
		s.rec.fail(kind, "%v", err)
		return false
	}
	req.Header.Set("Accept-Language", "de")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	start := time.Now()
	resp, err := s.http.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			s.rec.fail(kind, "%s %s: %v", method, path, err)
		}
		return false
	}
	text, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	d := time.Since(start)
	if err != nil {
		if ctx.Err() == nil {
			s.rec.fail(kind, "%s %s: body: %v", method, path, err)
		}
		return false
	}
	if resp.StatusCode != want {
		s.rec.fail(kind, "%s %s: %d (erwartet %d) %s", method, path, resp.StatusCode, want, excerpt(text))
		return false
	}
	s.lastBody, s.lastLocation = text, resp.Header.Get("Location")
	s.rec.ok(kind, d)
	return true
}

// cookie is the value of a cookie the instances set (any instance: the
// jar ignores ports).
func (s *session) cookie(name string) string {
	u, _ := url.Parse(s.instances[0])
	for _, c := range s.jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// excerpt is the part of an error page that says what went wrong.
func excerpt(b []byte) string {
	t := string(b)
	if i := strings.Index(t, "<main"); i >= 0 {
		t = t[i:]
	}
	if len(t) > 300 {
		t = t[:300]
	}
	return strings.Join(strings.Fields(t), " ")
}

// think waits like a person reading, about mean on average.
func (s *session) think(ctx context.Context, mean time.Duration) bool {
	d := time.Duration(s.rnd.ExpFloat64() * float64(mean))
	d = min(d, 5*mean)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

func pick[T any](r *rand.Rand, l []T) T { return l[r.IntN(len(l))] }

func itoa(n int64) string { return fmt.Sprint(n) }
