package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/surveys"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestSurveyResultsTextsPaged: the results page lists free texts a page at
// a time, and following the links reads every text exactly once.
func TestSurveyResultsTextsPaged(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	const n = 2*surveys.TextsPerPage + 7
	sv := benchSurvey(t, a, n, 1_000)
	qs, err := a.Store.SurveyQuestions(t.Context(), sv.ID, sv.Version)
	if err != nil {
		t.Fatal(err)
	}
	var long app.SurveyQuestion
	for _, q := range qs {
		if q.Kind == app.QTextLong {
			long = q
		}
	}
	admin := a.CreateUser(t, "admin@example.org", "Admin", app.RoleAdmin)
	c := a.SessionClient(t, admin)
	section := fmt.Sprintf("#q%d", long.ID)
	seen := map[string]int{}
	path := fmt.Sprintf("/umfragen/verwaltung/%d/ergebnisse", sv.ID)
	pages := 0
	// Besides hiding, each text has a form that sends it into the
	// contribution pipeline, and the question one that sends them all.
	const moderationForms = "form[action$='/ausblenden']"
	for path != "" {
		res := c.Get(path)
		if res.Status != http.StatusOK {
			t.Fatalf("%s: %d", path, res.Status)
		}
		pages++
		sec := res.Doc.Find(section)
		if !strings.Contains(sec.Find("h3").Text(), fmt.Sprintf("Antworten (%d)", n)) {
			t.Fatalf("page %d heading: %q", pages, sec.Find("h3").Text())
		}
		texts := sec.Find("blockquote")
		if texts.Length() > surveys.TextsPerPage || sec.Find(moderationForms).Length() != texts.Length() {
			t.Fatalf("page %d: %d texts, %d moderation forms", pages, texts.Length(), sec.Find(moderationForms).Length())
		}
		texts.Each(func(_ int, s *goquery.Selection) { seen[s.Text()]++ })
		path = ""
		sec.Find("a").Each(func(_ int, s *goquery.Selection) {
			if strings.Contains(s.Text(), "nächsten") {
				path, _ = s.Attr("href")
			}
		})
		if pages > 1 && sec.Find("a:contains('Zurück zu den ersten Antworten')").Length() != 1 {
			t.Errorf("page %d has no way back to the first answers", pages)
		}
	}
	if pages != 3 || len(seen) != n {
		t.Fatalf("%d pages, %d different texts, want 3 and %d", pages, len(seen), n)
	}
	for i := 0; i < n; i++ {
		if w := fmt.Sprintf("Mehr Bäume und Bänke am Wasser, bitte – Antwort %d", i); seen[w] != 1 {
			t.Errorf("%q shown %d times", w, seen[w])
		}
	}
}
