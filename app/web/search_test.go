package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
)

// TestSearchPage: the search box in the header leads to /suche, which finds
// a paragraph of the draft by an inflected form and links to its anchor,
// finds published contributions with the match marked in an escaped
// snippet, never shows hidden ones, and works without JavaScript (plain
// GET forms, no script needed).
func TestSearchPage(t *testing.T) {
	f := newDraftFix(t, app.ModerationPost)
	ctx := context.Background()
	xss := f.comment(t, f.cit, "", "<script>alert(1)</script> Ein geschützter Radweg an der Jahnallee fehlt.")
	hidden := f.comment(t, f.other, "", "Der Radweg am Zwiebelkuchenmarkt ist zu schmal.")
	if _, err := f.a.Platform.Draft.Moderate(ctx, f.mod, hidden.ID, app.ModerationInput{Action: app.ActionHide, Reason: app.ReasonAdvertising}); err != nil {
		t.Fatal(err)
	}
	c := f.a.Client(t)

	home := c.Get("/")
	box := home.Doc.Find("header form[role=search][action='/suche']")
	if box.Length() != 1 || box.Find("label[for=site-search-q]").Length() != 1 || box.Find("input#site-search-q[name=q][type=search]").Length() != 1 {
		t.Fatalf("no labelled search box in the header: %s", home.Doc.Find("header").Text())
	}

	page := c.Get("/suche?q=" + url.QueryEscape("Freiraeumen"))
	if page.Status != http.StatusOK {
		t.Fatalf("status %d", page.Status)
	}
	link := page.Doc.Find("section[aria-labelledby=search-group-paragraph] a[href='/entwurf/wohnen#p-3']")
	if link.Length() != 1 {
		t.Fatalf("paragraph not found by an inflected form: %s", page.Text())
	}
	if got := page.Doc.Find("section[aria-labelledby=search-group-paragraph] .snippet mark").Text(); got != "Freiräume" {
		t.Fatalf("marked %q", got)
	}

	page = c.Get("/suche?q=Radwege")
	group := page.Doc.Find("section[aria-labelledby=search-group-contribution]")
	if group.Find("a[href='/beitraege/"+xss.PublicNumber()+"']").Length() != 1 {
		t.Fatalf("published contribution not found: %s", page.Text())
	}
	if strings.Contains(page.Body, "<script>alert(1)") || !strings.Contains(page.Body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Fatal("the snippet is not escaped")
	}
	if !strings.Contains(page.Body, "<mark>Radweg</mark>") {
		t.Fatal("the match is not marked")
	}
	if strings.Contains(page.Text(), "Zwiebelkuchen") || group.Find("a[href='/beitraege/"+hidden.PublicNumber()+"']").Length() != 0 {
		t.Fatal("a hidden contribution is found")
	}
	if got := strings.TrimSpace(page.Doc.Find("p[role=status]").Text()); got != "1 Treffer" {
		t.Fatalf("count %q", got)
	}

	// Filters: an Ortsteil keeps contributions only; the kind filter pages.
	page = c.Get("/suche?q=Wohnen&ortsteil=41")
	if page.Doc.Find("section[aria-labelledby=search-group-paragraph]").Length() != 0 {
		t.Fatal("paragraphs under an Ortsteil filter")
	}
	page = c.Get("/suche?q=Wohnen&art=paragraph")
	if page.Doc.Find("section.search-group").Length() != 1 || page.Doc.Find("#f-art option[value=paragraph][selected]").Length() != 1 {
		t.Fatalf("kind filter: %s", page.Text())
	}

	// Bad input: a German message next to the field, nothing searched.
	page = c.Get("/suche?q=" + strings.Repeat("a", 201) + "&von=31.12.2026")
	if page.Status != http.StatusUnprocessableEntity {
		t.Fatalf("too long: status %d", page.Status)
	}
	if got := page.FieldError("q"); got != "Fehler: Bitte höchstens 200 Zeichen eingeben." {
		t.Fatalf("error next to the query: %q", got)
	}
	if got := page.FieldError("von"); !strings.Contains(got, "JJJJ-MM-TT") {
		t.Fatalf("error next to the date: %q", got)
	}
	if page.Doc.Find("#f-q[aria-invalid=true]").Length() != 1 || page.Doc.Find("section.search-group").Length() != 0 {
		t.Fatal("invalid search: field not marked, or results shown")
	}
}

// TestSearchAPI: GET /api/v1/search answers with kind, title, url and an
// escaped snippet per result, and rejects bad parameters with a 4xx.
func TestSearchAPI(t *testing.T) {
	f := newDraftFix(t, app.ModerationPost)
	com := f.comment(t, f.cit, "", "<b>Straßenbäume</b> in der Eisenbahnstraße pflanzen.")
	c := f.a.Client(t)
	r := c.Get("/api/v1/search?q=" + url.QueryEscape("Strassenbaeumen"))
	if r.Status != http.StatusOK {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	var out struct {
		Total   int `json:"total"`
		Results []struct {
			Kind, Title, URL, Snippet string
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(r.Body), &out); err != nil {
		t.Fatal(err)
	}
	if out.Total != 1 || len(out.Results) != 1 {
		t.Fatalf("results %+v", out)
	}
	got := out.Results[0]
	if got.Kind != "contribution" || got.URL != "/beitraege/"+com.PublicNumber() || !strings.HasPrefix(got.Title, com.PublicNumber()) ||
		got.Snippet != "&lt;b&gt;<mark>Straßenbäume</mark>&lt;/b&gt; in der Eisenbahnstraße pflanzen." {
		t.Fatalf("result %+v", got)
	}
	r = c.Get("/api/v1/search?q=Wohnen&kind=paragraph")
	if err := json.Unmarshal([]byte(r.Body), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Results) != 2 || out.Results[0].URL != "/entwurf/wohnen#p-1" || out.Results[1].URL != "/entwurf/wohnen#p-2" {
		t.Fatalf("paragraphs %+v", out.Results)
	}
	for _, q := range []string{"kind=foo&q=x", "q=" + strings.Repeat("x", 201), "q=x&from=gestern"} {
		if r := c.Get("/api/v1/search?" + q); r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusBadRequest {
			t.Fatalf("%s: status %d", q, r.Status)
		}
	}
	if r := c.Get("/api/v1/search?q="); r.Status != http.StatusOK || !strings.Contains(r.Body, `"results":[]`) {
		t.Fatalf("empty query: %d %s", r.Status, r.Body)
	}
	var spec struct {
		Paths map[string]any `json:"paths"`
	}
	if st := c.JSON(http.MethodGet, "/api/v1/openapi.json", nil, &spec); st != http.StatusOK || spec.Paths["/search"] == nil {
		t.Fatalf("OpenAPI lacks /search (%d)", st)
	}
}
