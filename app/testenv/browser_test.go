package testenv

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAxeFindsViolations proves the scanner is live: a page with an image
// without text alternative and an unlabelled input must be reported.
func TestAxeFindsViolations(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!DOCTYPE html><html><head><title>x</title></head><body><main><img src="/x.png"><input type="text"></main></body></html>`))
	}))
	defer srv.Close()
	tab := StartBrowser(t).Tab(t)
	if err := chromedp.Do(tab, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}
	v, err := Axe(tab)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, x := range v {
		found[x.ID] = true
	}
	for _, id := range []string{"image-alt", "label", "html-has-lang"} {
		if !found[id] {
			t.Errorf("axe did not report %s; got %v", id, found)
		}
	}
}
