package web_test

import (
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app/platform"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestMapTilesConfig: without MITWIRKEN_MAP_TILES no page may load from
// another server and the privacy page says so; with it, the picker names
// the service, the CSP allows its images only, and the privacy page says
// what is sent where.
func TestMapTilesConfig(t *testing.T) {
	f := newDraftFix(t, "post")
	c := f.a.SessionClient(t, f.cit)
	page := c.Get("/entwurf/wohnen")
	if _, ok := page.Doc.Find(".point-picker").Attr("data-tiles"); ok {
		t.Error("the picker names a tile service without configuration")
	}
	if csp := page.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' data:;") {
		t.Errorf("CSP without tiles: %s", csp)
	}
	if body := f.a.Client(t).Get("/datenschutz").Text(); !strings.Contains(body, "wird nichts an Dritte gesendet") {
		t.Error("the privacy page does not say that maps send nothing to others")
	}

	a := testenv.StartApp(t, testenv.WithConfig(func(cfg *platform.Config) { cfg.MapTiles = "https://tiles.stadt.example/{z}/{x}/{y}.png" }))
	u := a.CreateUser(t, "kachel@example.org", "Kachel", "citizen")
	fx := &draftFix{a: a, admin: a.CreateUser(t, "admin-k@example.org", "Admin", "admin")}
	fx.setup(t, "post")
	page = a.SessionClient(t, u).Get("/entwurf/wohnen")
	if got := page.Doc.Find(".point-picker").AttrOr("data-tiles", ""); got != "https://tiles.stadt.example/{z}/{x}/{y}.png" {
		t.Errorf("picker tiles %q", got)
	}
	if csp := page.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' data: https://tiles.stadt.example;") || strings.Contains(csp, "connect-src 'self' https") {
		t.Errorf("CSP with tiles: %s", csp)
	}
	if body := a.Client(t).Get("/datenschutz").Text(); !strings.Contains(body, "Kartenkacheln von https://tiles.stadt.example") || !strings.Contains(body, "IP-Adresse") {
		t.Error("the privacy page does not say what the tile service receives")
	}
}
