package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/seed"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestDemoEvents: the demo has upcoming events of every format, four
// Stadtgebiete marked as an example, and registrations; seeding twice
// changes nothing.
func TestDemoEvents(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if err := seed.Demo(ctx, a.Store, seed.Options{}); err != nil {
			t.Fatalf("seed run %d: %v", i+1, err)
		}
	}
	events, total, err := a.Store.ListEvents(ctx, store.EventFilter{PerPage: 100})
	if err != nil || total != 10 {
		t.Fatalf("%d upcoming demo events: %v", total, err)
	}
	formats := map[app.EventFormat]int{}
	for _, e := range events {
		formats[e.Format]++
	}
	for _, f := range []app.EventFormat{app.FormatKickoff, app.FormatFachforum, app.FormatWorkshop, app.FormatForum, app.FormatFutureLab} {
		if formats[f] == 0 {
			t.Errorf("no demo event of format %s", f)
		}
	}
	if formats[app.FormatForum] != 4 {
		t.Errorf("%d Stadtgebietsforen", formats[app.FormatForum])
	}
	gebiete, _ := a.Store.Stadtgebiete(ctx)
	covered := 0
	for _, g := range gebiete {
		if !g.Example || len(g.Bezirke) < 2 || len(g.Bezirke) > 3 {
			t.Errorf("Stadtgebiet %s: example=%v, %d Stadtbezirke", g.Name, g.Example, len(g.Bezirke))
		}
		covered += len(g.Bezirke)
	}
	if len(gebiete) != 4 || covered != 10 {
		t.Fatalf("%d Stadtgebiete covering %d Stadtbezirke", len(gebiete), covered)
	}
	var regs int64
	a.Store.Gorm().Model(&app.Registration{}).Count(&regs)
	if regs < 5 {
		t.Fatalf("%d demo registrations", regs)
	}
	page := a.Client(t).Get("/veranstaltungen?format=stadtgebietsforum")
	if !strings.Contains(page.Text(), "Stadtgebiet Nord (Beispiel)") {
		t.Fatalf("example grouping not marked: %s", page.Text())
	}
}

// TestEventsOpenAPI: the served description documents the events API.
func TestEventsOpenAPI(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	var doc struct {
		Paths      map[string]map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if st := a.Client(t).JSON("GET", "/api/v1/openapi.json", nil, &doc); st != 200 {
		t.Fatalf("openapi: %d", st)
	}
	for path, methods := range map[string][]string{
		"/events": {"get", "post"}, "/events/{id}": {"get"}, "/events/{id}/registrations": {"post"},
		"/events/{id}/registrations/me": {"get", "delete"}, "/session": {"get"},
	} {
		for _, m := range methods {
			if doc.Paths[path][m] == nil {
				t.Errorf("%s %s is not documented", m, path)
			}
		}
	}
	for _, s := range []string{"Event", "EventInput", "Registration", "Error"} {
		if doc.Components.Schemas[s] == nil {
			t.Errorf("schema %s missing", s)
		}
	}
}
