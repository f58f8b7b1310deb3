package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/draft"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// Points near Leipzig's Markt (Ortsteil 00 Zentrum) and one east of the
// city, outside its boundary.
const (
	marktLat, marktLon     = "51.340649", "12.374712"
	outsideLat, outsideLon = "51.3", "13.0"
)

// commentForm is the chapter's comment form of a logged-in person.
func commentForm(t *testing.T, c *testenv.Client) *testenv.Response {
	t.Helper()
	page := c.Get("/entwurf/wohnen")
	if page.Doc.Find("form#kommentar-formular").Length() != 1 {
		t.Fatalf("no comment form: %d", page.Status)
	}
	return page
}

func TestContributionPointsForm(t *testing.T) {
	f := newDraftFix(t, app.ModerationPost)
	c := f.a.SessionClient(t, f.cit)
	page := commentForm(t, c)
	// Without JavaScript the map stays hidden; the Ortsteil and the
	// description work on their own.
	if page.Doc.Find("form#kommentar-formular .point-picker[hidden] svg.map").Length() != 1 {
		t.Fatal("the form has no hidden point picker")
	}
	if page.Doc.Find(`form#kommentar-formular input[type=hidden][name=lat]`).Length() != 1 {
		t.Fatal("no hidden lat input")
	}

	// Bad input: each refused at its field, in German, and nothing stored.
	before := f.countContributions(t)
	bad := []struct {
		name, field, want string
		values            []string
	}{
		{"outside the city", "point", "außerhalb von Leipzig", []string{"lat", outsideLat, "lon", outsideLon}},
		{"other Ortsteil", "point", "im Ortsteil Zentrum, nicht im gewählten", []string{"lat", marktLat, "lon", marktLon, "ortsteil", "04"}},
		{"no coordinate", "point", "keine gültige Koordinate", []string{"lat", "Markt", "lon", marktLon}},
		{"description too long", "place", "höchstens 200 Zeichen", []string{"place", strings.Repeat("x", 201)}},
	}
	for _, tc := range bad {
		res := c.Submit(page, "form#kommentar-formular", vals(append([]string{"body", "Ein Ort: " + tc.name}, tc.values...)...))
		if res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("%s: status %d", tc.name, res.Status)
		}
		if msg := res.Doc.Find("#f-" + tc.field + "-error").Text(); !strings.Contains(msg, tc.want) {
			t.Errorf("%s: error at %s is %q", tc.name, tc.field, msg)
		}
		if res.Doc.Find(`#error-summary a[href="#f-`+tc.field+`"]`).Length() != 1 {
			t.Errorf("%s: the error summary does not link to the field", tc.name)
		}
	}
	two := vals("body", "Zwei Punkte", "lat", marktLat, "lat", marktLat, "lon", marktLon, "lon", marktLon)
	if res := c.PostForm("/entwurf/wohnen/kommentare", two); res.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Doc.Find("#f-point-error").Text(), "höchstens einen Punkt") {
		t.Errorf("two points: %d %q", res.Status, res.Doc.Find("#f-point-error").Text())
	}
	if n := f.countContributions(t); n != before {
		t.Fatalf("bad input stored %d contributions", n-before)
	}

	// A point without consent: stored rounded, the Ortsteil taken from it,
	// shown to nobody but as the Ortsteil and the description.
	res := c.Submit(page, "form#kommentar-formular", vals("body", "Mehr Bänke am Markt", "lat", marktLat, "lon", marktLon, "place", "Vor dem Alten Rathaus"))
	if res.Status != http.StatusOK {
		t.Fatalf("comment with point: %d", res.Status)
	}
	private := f.contribution(t, 1)
	if !private.HasPoint() || *private.PointLat != 51.3406 || *private.PointLon != 12.3747 || private.PointPublic || private.Ortsteil() != "00" || private.PlaceText != "Vor dem Alten Rathaus" {
		t.Fatalf("stored: %+v", private)
	}
	anon := f.a.Client(t)
	chapter := anon.Get("/entwurf/wohnen")
	if got := commentText(chapter, 1); !strings.Contains(got, "Zentrum – Vor dem Alten Rathaus") {
		t.Errorf("the comment does not name its place: %q", got)
	}
	for _, path := range []string{"/entwurf/wohnen", "/beitraege/A-0001", "/api/v1/comments/A-0001"} {
		body := anon.Get(path).Body
		if strings.Contains(body, "51.3406") || strings.Contains(body, "12.3747") {
			t.Errorf("%s shows the point without consent", path)
		}
	}
	// Open data has boundaries only (whose vertices may share digits with
	// the point), never the point itself.
	if body := anon.Get("/api/v1/opendata/ortsteile.geojson").Body; strings.Contains(body, "[12.3747,51.3406]") || strings.Contains(body, `"Point"`) {
		t.Error("open data shows the point")
	}
	if chapter.Doc.Find("svg.map circle.marker").Length() != 0 || anon.Get("/beitraege/A-0001").Doc.Find("#ort").Length() != 0 {
		t.Error("a map shows the point without consent")
	}

	// With consent the point is on the chapter's map (with a list of the
	// same contributions) and on the contribution's page.
	res = c.Submit(page, "form#kommentar-formular", vals("body", "Ein Trinkbrunnen am Markt", "lat", marktLat, "lon", marktLon, "ortsteil", "00", "point_public", "true"))
	if res.Status != http.StatusOK {
		t.Fatalf("comment with public point: %d", res.Status)
	}
	chapter = anon.Get("/entwurf/wohnen")
	if chapter.Doc.Find("#orte svg.map circle.marker").Length() != 1 {
		t.Error("the chapter map does not show the public point")
	}
	if links := chapter.Doc.Find("#orte .point-list a"); links.Length() != 1 || links.AttrOr("href", "") != "/beitraege/A-0002" {
		t.Errorf("the list beside the chapter map: %d links", links.Length())
	}
	detail := anon.Get("/beitraege/A-0002")
	if detail.Doc.Find("#ort svg.map circle.marker").Length() != 1 || detail.Doc.Find(`#ort path.current[data-ortsteil="00"]`).Length() != 1 {
		t.Errorf("the contribution page does not show its point in its Ortsteil: %s", detail.Doc.Find("#ort").Text())
	}
	var out struct {
		Ortsteil *string `json:"ortsteil"`
		Point    *struct {
			Lat, Lon float64
		} `json:"point"`
	}
	if s := anon.JSON(http.MethodGet, "/api/v1/comments/A-0002", nil, &out); s != http.StatusOK || out.Point == nil || out.Point.Lat != 51.3406 || out.Point.Lon != 12.3747 {
		t.Errorf("API of a public point: %d %+v", s, out.Point)
	}

	// The author's edit form keeps the point; taking the consent back hides it.
	edit := c.Get("/beitraege/A-0002/bearbeiten")
	if edit.Doc.Find(`input[name=lat]`).AttrOr("value", "") != "51.3406" || edit.Doc.Find(`#f-point_public[checked]`).Length() != 1 {
		t.Fatal("the edit form loses the point")
	}
	form := vals("body", "Ein Trinkbrunnen am Markt, bitte")
	form.Set("point_public", "")
	if res := c.Submit(edit, "form[action='/beitraege/A-0002/bearbeiten']", form); res.Status != http.StatusOK {
		t.Fatalf("edit: %d %s", res.Status, res.Text())
	}
	if got := f.contribution(t, 2); !got.HasPoint() || got.PointPublic {
		t.Fatalf("after the edit: point %v public %v", got.HasPoint(), got.PointPublic)
	}
	if anon.Get("/entwurf/wohnen").Doc.Find("#orte").Length() != 0 {
		t.Error("the chapter map still shows a point whose consent was taken back")
	}
}

func TestContributionPointsAPI(t *testing.T) {
	f := newDraftFix(t, app.ModerationPost)
	cc := f.a.SessionClient(t, f.cit)
	path := "/api/v1/chapters/" + itoa(f.ch.ID) + "/comments"
	markt := map[string]any{"lat": 51.340649, "lon": 12.374712}
	cases := []struct {
		name string
		body map[string]any
		want string
	}{
		{"second point", map[string]any{"body": "Zwei Orte", "point": []any{markt, map[string]any{"lat": 51.33, "lon": 12.37}}}, "höchstens einen Punkt"},
		{"outside the city", map[string]any{"body": "Außerhalb", "point": map[string]any{"lat": 51.3, "lon": 13.0}}, "außerhalb von Leipzig"},
		{"other Ortsteil", map[string]any{"body": "Falscher Ortsteil", "ortsteil": "04", "point": markt}, "nicht im gewählten Ortsteil"},
		{"description too long", map[string]any{"body": "Lang", "place": strings.Repeat("ö", 201)}, "höchstens 200 Zeichen"},
		{"not a point", map[string]any{"body": "Kaputt", "point": "Markt"}, "keine gültige Koordinate"},
	}
	for _, tc := range cases {
		var bad apiErrorOut
		field := "point"
		if tc.name == "description too long" {
			field = "place"
		}
		if s := cc.JSON(http.MethodPost, path, tc.body, &bad); s != http.StatusUnprocessableEntity || !strings.Contains(bad.Error.Fields[field], tc.want) {
			t.Errorf("%s: %d %+v", tc.name, s, bad.Error)
		}
	}
	if n := f.countContributions(t); n != 0 {
		t.Fatalf("bad input stored %d contributions", n)
	}
	var created struct {
		Number   string  `json:"number"`
		Ortsteil *string `json:"ortsteil"`
		Place    string  `json:"place"`
		Point    *struct {
			Lat, Lon float64
			Public   bool
		} `json:"point"`
	}
	body := map[string]any{"body": "Am Markt", "point": []any{markt}, "place": "Marktplatz", "point_public": true}
	if s := cc.JSON(http.MethodPost, path, body, &created); s != http.StatusCreated || created.Ortsteil == nil || *created.Ortsteil != "00" ||
		created.Point == nil || created.Point.Lat != 51.3406 || !created.Point.Public || created.Place != "Marktplatz" {
		t.Fatalf("create with point: %d %+v", s, created)
	}
	// Without consent others see no coordinates in the API.
	if s := cc.JSON(http.MethodPost, path, map[string]any{"body": "Privat am Markt", "point": markt}, &created); s != http.StatusCreated {
		t.Fatalf("create private point: %d", s)
	}
	other := f.a.SessionClient(t, f.other)
	if body := other.Get("/api/v1/comments/" + created.Number).Body; strings.Contains(body, "51.3406") || strings.Contains(body, `"point"`) {
		t.Errorf("the API shows a point without consent: %s", body)
	}
	if body := other.Get("/api/v1/chapters/" + itoa(f.ch.ID) + "/comments").Body; strings.Count(body, "51.3406") != 1 {
		t.Errorf("the chapter's comments show %d points, want the one public", strings.Count(body, "51.3406"))
	}
}

// TestFollowOrtsteilHearsOfPoints: a person follows an Ortsteil on its page
// and hears of a new contribution whose point lies in it.
func TestFollowOrtsteilHearsOfPoints(t *testing.T) {
	f := newDraftFix(t, app.ModerationPost)
	web := f.a.SessionClient(t, f.other)
	page := web.Get("/ortsteile/00")
	if r := web.Submit(page, "form.follow-form", nil); r.Status != 200 || r.Doc.Find(`form.follow-form input[name=follow][value=false]`).Length() != 1 {
		t.Fatalf("follow the Ortsteil: status %d", r.Status)
	}
	if f.a.Client(t).Get("/ortsteile/00").Doc.Find("form.follow-form").Length() != 0 {
		t.Error("a logged-out reader sees the follow button")
	}
	before := unread(t, f.a, f.other.ID)
	// A contribution elsewhere does not count; one with a point at the Markt does.
	if _, err := f.a.Platform.Draft.Comment(context.Background(), f.cit, f.ch.ID, draft.CommentInput{Body: "In Zentrum-West", Ortsteil: "04"}); err != nil {
		t.Fatal(err)
	}
	if n := unread(t, f.a, f.other.ID); n != before {
		t.Fatalf("a contribution in another Ortsteil notified (%d → %d)", before, n)
	}
	c, err := f.a.Platform.Draft.Comment(context.Background(), f.cit, f.ch.ID, draft.CommentInput{Body: "Am Markt", Lat: marktLat, Lon: marktLon})
	if err != nil {
		t.Fatal(err)
	}
	if n := unread(t, f.a, f.other.ID); n != before+1 {
		t.Fatalf("the follower of Zentrum was not notified of %s (%d → %d)", c.PublicNumber(), before, n)
	}
}

func unread(t *testing.T, a *testenv.App, userID int64) int64 {
	t.Helper()
	n, err := a.Store.UnreadNotifications(context.Background(), userID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
