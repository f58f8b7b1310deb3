package web

import (
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
	done := make(chan error, 1)
	go func() { done <- call(e, h, "/api/v1/open-data/contributions.csv") }()
	select {
	case <-entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the download waited for the admission slot")
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
