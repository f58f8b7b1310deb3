package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/seed"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestEventVenueOnTheMap: an admin gives the venue a point (bad points are
// refused at the field and change nothing); the event page shows it on the
// map of its Stadtbezirk, and the events map counts it in its Ortsteil.
func TestEventVenueOnTheMap(t *testing.T) {
	a := testenv.StartApp(t)
	ev := createEvent(t, a)
	admin := a.SessionClient(t, eventAdmin(t, a))
	for _, tc := range []struct{ lat, lon, want string }{
		{"51.3", "13.0", "außerhalb von Leipzig"},
		{"Markt", "12.37", "als Zahlen"},
		{"51.34", "", "als Zahlen"},
	} {
		res := admin.Submit(admin.Get(eventAdminURL(ev)+"/bearbeiten"), "main form", url.Values{"venue_lat": {tc.lat}, "venue_lon": {tc.lon}})
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.FieldError("venue_lat"), tc.want) {
			t.Errorf("venue point %s, %s: %d %q", tc.lat, tc.lon, res.Status, res.FieldError("venue_lat"))
		}
	}
	if got, err := a.Store.EventByID(context.Background(), ev.ID); err != nil || got.VenueLat != nil {
		t.Fatalf("a refused point was stored: %v", err)
	}
	res := admin.Submit(admin.Get(eventAdminURL(ev)+"/bearbeiten"), "main form", url.Values{"venue_lat": {"51,340649"}, "venue_lon": {"12,374712"}})
	if !strings.Contains(res.Text(), "gespeichert") {
		t.Fatalf("save the venue point: %d %s", res.Status, res.Text())
	}
	// The JSON API gives the point too, rounded as stored (open data for other maps).
	var got map[string]any
	if st := a.Client(t).JSON(http.MethodGet, "/api/v1/events/"+itoa(ev.ID), nil, &got); st != http.StatusOK ||
		got["venue_lat"] != 51.3406 || got["venue_lon"] != 12.3747 {
		t.Fatalf("the API's venue point: %d %v, %v", st, got["venue_lat"], got["venue_lon"])
	}
	page := a.Client(t).Get(eventURL(ev))
	if page.Doc.Find("#ort svg.map circle.marker").Length() != 1 || page.Doc.Find(`#ort path.current[data-ortsteil="00"]`).Length() != 1 ||
		!strings.Contains(page.Doc.Find("#ort figcaption").Text(), "im Ortsteil Zentrum") {
		t.Fatalf("the event page does not show the venue in Zentrum: %q", page.Doc.Find("#ort").Text())
	}
	m := a.Client(t).Get("/veranstaltungen?ansicht=karte")
	area := m.Doc.Find(`svg.map a path[data-ortsteil="00"]`)
	if area.Length() != 1 || area.Parent().AttrOr("aria-label", "") != "Zentrum: 1 Veranstaltung" || area.Parent().AttrOr("href", "") != "#ot-00" {
		t.Fatalf("the events map: %d areas, label %q", area.Length(), area.Parent().AttrOr("aria-label", ""))
	}
	if links := m.Doc.Find(`#ot-00 + ul a`); links.Length() != 1 || links.AttrOr("href", "") != eventURL(ev) {
		t.Errorf("the list below the map names %d events for Zentrum", links.Length())
	}
	if m.Doc.Find("svg.map a").Length() != 1 {
		t.Errorf("the map links %d areas, want the one with an event", m.Doc.Find("svg.map a").Length())
	}
}

// TestDemoEventsOnTheMap: the demo venues lie in the city and are drawn.
func TestDemoEventsOnTheMap(t *testing.T) {
	a := testenv.StartApp(t)
	if err := seed.Demo(context.Background(), a.Store, seed.Options{}); err != nil {
		t.Fatal(err)
	}
	var withPoint int64
	if err := a.Store.Gorm().Model(&app.Event{}).Where("venue_lat IS NOT NULL").Count(&withPoint).Error; err != nil {
		t.Fatal(err)
	}
	m := a.Client(t).Get("/veranstaltungen?ansicht=karte")
	listed := m.Doc.Find(`section h3[id^="ot-"] + ul li`).Length()
	if withPoint == 0 || m.Doc.Find("svg.map a").Length() < 3 || int64(listed) == 0 {
		t.Fatalf("demo events on the map: %d with a point, %d areas, %d listed", withPoint, m.Doc.Find("svg.map a").Length(), listed)
	}
}
