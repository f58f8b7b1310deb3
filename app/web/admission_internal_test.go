package web

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
)

// blocking is a handler that reports when it runs and waits for release.
func blocking(entered chan<- struct{}, release <-chan struct{}) echo.HandlerFunc {
	return func(c echo.Context) error {
		entered <- struct{}{}
		<-release
		return c.NoContent(http.StatusOK)
	}
}

func call(e *echo.Echo, h echo.HandlerFunc, path string) error {
	c := e.NewContext(httptest.NewRequest(http.MethodGet, path, nil), httptest.NewRecorder())
	c.SetPath(path)
	return h(c)
}

// A long download does not wait for, nor take, an admission slot.
func TestAdmissionExemptsStreamingDownloads(t *testing.T) {
	e := echo.New()
	mw := admission(1, func(c echo.Context) bool { return c.Path() == "/api/v1/open-data/contributions.csv" })
	entered, release := make(chan struct{}, 2), make(chan struct{})
	h := mw(blocking(entered, release))
	go func() { _ = call(e, h, "/beteiligung") }()
	<-entered // the only slot is taken
	passesQueue(t, "the download", entered, release, func() error { return call(e, h, "/api/v1/open-data/contributions.csv") })
}

// passesQueue runs req while the only slot is taken: it must enter at
// once; then the slot's holder is released and req must succeed.
func passesQueue(t *testing.T, what string, entered chan struct{}, release chan struct{}, req func() error) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- req() }()
	select {
	case <-entered:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s waited for the admission slot", what)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// OpenDataDownloads downloads run at once; the next is refused with 503,
// Retry-After and a German message, and is served once one has finished.
func TestOpenDataDownloadLimit(t *testing.T) {
	e := echo.New()
	entered, release := make(chan struct{}, OpenDataDownloads+1), make(chan struct{})
	h := streamLimit(OpenDataDownloads, "results.open_data_busy")(blocking(entered, release))
	done := make(chan error, OpenDataDownloads)
	for i := 0; i < OpenDataDownloads; i++ {
		go func() { done <- call(e, h, "/api/v1/open-data/contributions.json") }()
		<-entered
	}
	err := call(e, h, "/api/v1/open-data/contributions.json")
	var ae *app.Error
	if !errors.As(err, &ae) || ae.Code != app.CodeUnavailable || ae.RetryAfter <= 0 || ae.Msg.ID != "results.open_data_busy" {
		t.Fatalf("download beyond the limit: %#v", err)
	}
	if ae.Code.HTTPStatus() != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", ae.Code.HTTPStatus())
	}
	release <- struct{}{}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	go func() { done <- call(e, h, "/api/v1/open-data/contributions.json") }()
	<-entered
	close(release)
	for i := 0; i < OpenDataDownloads; i++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}

// A request that merely says "Upgrade" waits in line like any other; only a
// real websocket handshake on a socket route does not.
func TestAdmissionExemptsOnlyRealWebsocketHandshakes(t *testing.T) {
	e := echo.New()
	s := &Server{socketRoutes: map[string]bool{"/labs/:id/boards/:bid/ws": true}}
	mw := admission(1, s.admissionExempt)
	entered, release := make(chan struct{}, 4), make(chan struct{})
	h := mw(blocking(entered, release))
	go func() { _ = call(e, h, "/beteiligung") }()
	<-entered // the only slot is taken
	handshake := func(r *http.Request) {
		r.Header.Set("Upgrade", "websocket")
		r.Header.Set("Connection", "keep-alive, Upgrade")
		r.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
		r.Header.Set("Sec-WebSocket-Version", "13")
	}
	for _, tc := range []struct {
		name, method, route string
		headers             func(*http.Request)
	}{
		{"Upgrade header only", http.MethodPost, "/anmelden", func(r *http.Request) { r.Header.Set("Upgrade", "websocket") }},
		{"handshake on another route", http.MethodGet, "/", handshake},
		{"handshake without key", http.MethodGet, "/labs/:id/boards/:bid/ws", func(r *http.Request) { handshake(r); r.Header.Del("Sec-WebSocket-Key") }},
		{"POST handshake", http.MethodPost, "/labs/:id/boards/:bid/ws", handshake},
	} {
		req := httptest.NewRequest(tc.method, "/x", nil)
		tc.headers(req)
		c := e.NewContext(req, httptest.NewRecorder())
		c.SetPath(tc.route)
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		c.SetRequest(req.WithContext(ctx))
		done := make(chan error, 1)
		go func() { done <- h(c) }()
		select {
		case <-entered:
			t.Fatalf("%s passed the queue", tc.name)
		case err := <-done:
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("%s did not wait for the slot: %v", tc.name, err)
			}
		}
		cancel()
	}
	req := httptest.NewRequest(http.MethodGet, "/labs/1/boards/2/ws", nil)
	handshake(req)
	c := e.NewContext(req, httptest.NewRecorder())
	c.SetPath("/labs/:id/boards/:bid/ws")
	passesQueue(t, "a real websocket handshake", entered, release, func() error { return h(c) })
}
