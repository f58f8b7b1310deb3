package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestSurveyResultsFreshOnEveryInstance: the results page keeps its counts
// in memory per instance (issue 15), and still every new or changed
// response shows at the next load on both of two instances sharing the
// database, whichever instance took it; each cross-tab filter has its own
// numbers, and hiding a text shows on the other instance at once.
func TestSurveyResultsFreshOnEveryInstance(t *testing.T) {
	a := testenv.StartApp(t)
	b := testenv.StartApp(t, testenv.WithDatabase(a.DatabaseURL), testenv.WithMailServer(a.Mail))
	f := buildSurvey(t, a, false)
	coord, err := a.Store.UserByEmail(t.Context(), "ag.insek@example.org")
	if err != nil {
		t.Fatal(err)
	}
	builders := map[string]*testenv.Client{"a": f.builder, "b": b.SessionClient(t, coord)}
	rpath := fmt.Sprintf("/umfragen/verwaltung/%d/ergebnisse", f.survey.ID)
	wohnen, themen := f.q["wohnen"], f.q["themen"]
	// expect loads the results twice on both instances (the second load
	// from the cache) and checks the number of finished responses (of all,
	// filtered or not) and two charts.
	expect := func(step, filter string, responses int, wantWohnen, wantThemen string) {
		t.Helper()
		path := rpath
		if filter != "" {
			path += "?filter=" + url.QueryEscape(filter)
		}
		for _, name := range []string{"a", "b", "a", "b"} {
			res := builders[name].Get(path)
			if res.Status != http.StatusOK || !strings.Contains(res.Text(), fmt.Sprintf("Abgeschlossene Antworten: %d", responses)) {
				t.Fatalf("%s, instance %s: %d, want %d responses: %s", step, name, res.Status, responses, res.Text())
			}
			if svg, table := chartFigures(t, res, fmt.Sprintf("chart-q%d", wohnen.ID)); strings.Join(svg, "|") != wantWohnen || strings.Join(table, "|") != wantWohnen {
				t.Errorf("%s, instance %s, filter %q: wohnen %v / %v, want %s", step, name, filter, svg, table, wantWohnen)
			}
			if svg, _ := chartFigures(t, res, fmt.Sprintf("chart-q%d", themen.ID)); strings.Join(svg, "|") != wantThemen {
				t.Errorf("%s, instance %s, filter %q: themen %v, want %s", step, name, filter, svg, wantThemen)
			}
		}
	}
	none := "0 (–)|0 (–)|0 (–)|0 (–)"
	expect("no responses", "", 0, none, none)
	rent := fmt.Sprintf("%d:1", wohnen.ID)
	own := fmt.Sprintf("%d:2", wohnen.ID)
	expect("no responses, renting", rent, 0, none, none)

	q := func(name string) string { x := f.q[name]; return x.Field() }
	answer := func(c *testenv.Client, form url.Values) {
		t.Helper()
		if res := c.Submit(c.Get(f.path()), "form.survey-form", form); res.Status != http.StatusOK || !strings.Contains(res.Text(), "Vielen Dank") {
			t.Fatalf("answer: %d %s", res.Status, res.Text())
		}
	}
	eins := a.CreateUser(t, "eins@example.org", "Person Eins", app.RoleCitizen)
	answer(a.SessionClient(t, eins), f.answers([]string{"1"}, []string{"1", "2"}, "4",
		url.Values{q("miete"): {"700 Euro"}, q("lang"): {"Ein Brunnen am Markt"}}))
	expect("one response on a", "", 1, "1 (100 %)|0 (0 %)|0 (0 %)|0 (0 %)", "1 (100 %)|1 (100 %)|0 (0 %)|0 (0 %)")

	// A second person answers on instance b: a's cached counts are stale.
	zwei := a.CreateUser(t, "zwei@example.org", "Person Zwei", app.RoleCitizen)
	answer(b.SessionClient(t, zwei), f.answers([]string{"2"}, []string{"3"}, "2", nil))
	expect("a second response on b", "", 2, "1 (50 %)|1 (50 %)|0 (0 %)|0 (0 %)", "1 (50 %)|1 (50 %)|1 (50 %)|0 (0 %)")
	expect("renting", rent, 2, "1 (100 %)|0 (0 %)|0 (0 %)|0 (0 %)", "1 (100 %)|1 (100 %)|0 (0 %)|0 (0 %)")
	expect("owning", own, 2, "0 (0 %)|1 (100 %)|0 (0 %)|0 (0 %)", "0 (0 %)|0 (0 %)|1 (100 %)|0 (0 %)")

	// Person one changes the answer on b (the test clock stands still, so
	// no timestamp changes): same number of responses, other counts.
	c1b := b.SessionClient(t, eins)
	answer(c1b, url.Values{q("wohnen"): {"2"}, q("themen"): {"4"}})
	expect("a changed response on b", "", 2, "0 (0 %)|2 (100 %)|0 (0 %)|0 (0 %)", "0 (0 %)|0 (0 %)|1 (50 %)|1 (50 %)")
	expect("renting after the change", rent, 2, none, none)
	expect("owning after the change", own, 2, "0 (0 %)|2 (100 %)|0 (0 %)|0 (0 %)", "0 (0 %)|0 (0 %)|1 (50 %)|1 (50 %)")

	// Hiding a text on a shows on b at the next load, and so does showing it again.
	r, err := a.Store.SurveyResponseOfUser(t.Context(), f.survey.ID, eins.ID)
	if err != nil {
		t.Fatal(err)
	}
	lang := fmt.Sprintf("#q%d", f.q["lang"].ID)
	hidden := func(c *testenv.Client) bool {
		t.Helper()
		sec := c.Get(rpath).Doc.Find(lang)
		if !strings.Contains(sec.Find("blockquote").Text(), "Ein Brunnen am Markt") {
			t.Fatalf("text not listed: %s", sec.Text())
		}
		return sec.Find("blockquote.muted").Length() == 1 && strings.Contains(sec.Text(), "Personenbezug")
	}
	if hidden(builders["b"]) {
		t.Fatal("hidden before hiding")
	}
	hideSel := fmt.Sprintf("form[action$='/antworten/%d/%d/ausblenden']", r.ID, f.q["lang"].ID)
	if res := f.builder.Submit(f.builder.Get(rpath), hideSel, url.Values{"reason": {"Personenbezug"}}); res.Status != http.StatusOK {
		t.Fatalf("hide: %d", res.Status)
	}
	if !hidden(builders["b"]) {
		t.Error("the hidden text is not marked hidden on instance b")
	}
	if res := builders["b"].Submit(builders["b"].Get(rpath), hideSel, url.Values{}); res.Status != http.StatusOK {
		t.Fatalf("show again: %d", res.Status)
	}
	if hidden(builders["a"]) {
		t.Error("the text shown again is still marked hidden on instance a")
	}
	if hits, _ := a.Platform.Surveys.Tallies.Stats(); hits == 0 {
		t.Error("instance a never used its cached counts")
	}
}

// TestSurveyResultsCatchUp: cached counts are brought up to date by
// counting only the responses after the newest one they hold, and only
// when nothing else changed. A response whose row is older than that
// newest one (an account's one-question-per-screen run, started before and
// finished after another response) and a changed response are counted by
// counting everything again, so every load shows exactly the stored
// answers.
func TestSurveyResultsCatchUp(t *testing.T) {
	a := testenv.StartApp(t)
	f := steppedSurvey(t, a, false)
	tallies := a.Platform.Surveys.Tallies
	admin := a.SessionClient(t, a.CreateUser(t, "auswertung@example.org", "Auswertung", app.RoleAdmin))
	rpath := fmt.Sprintf("/umfragen/verwaltung/%d/ergebnisse", f.survey.ID)
	form := "form.survey-form"
	// finish runs one person through the survey: how they live, then
	// (for owners) satisfaction, and the optional wish left empty.
	finish := func(c *testenv.Client, res *testenv.Response, wohnen, zufrieden string) {
		t.Helper()
		if res == nil {
			res = c.Get(f.path())
		}
		res = c.Submit(res, form, url.Values{"go": {"next"}, f.wohnen.Field(): {wohnen}})
		if wohnen == "1" {
			res = c.Submit(res, form, url.Values{"go": {"next"}, f.miete.Field(): {"600 Euro"}})
		}
		res = c.Submit(res, form, url.Values{"go": {"next"}, f.zufrieden.Field(): {zufrieden}})
		res = c.Submit(res, form, url.Values{"go": {"submit"}})
		if !strings.Contains(res.Text(), "Vielen Dank") {
			t.Fatalf("finish: %d %s", res.Status, res.Text())
		}
	}
	person := func(name string) *testenv.Client {
		return a.SessionClient(t, a.CreateUser(t, name+"@example.org", "Person "+name, app.RoleCitizen))
	}
	expect := func(step string, responses int, wantWohnen, wantZufrieden string) {
		t.Helper()
		for range 2 {
			res := admin.Get(rpath)
			if res.Status != http.StatusOK || !strings.Contains(res.Text(), fmt.Sprintf("Abgeschlossene Antworten: %d", responses)) {
				t.Fatalf("%s: %d, want %d responses: %s", step, res.Status, responses, res.Text())
			}
			if _, table := chartFigures(t, res, fmt.Sprintf("chart-q%d", f.wohnen.ID)); strings.Join(table, "|") != wantWohnen {
				t.Fatalf("%s: wohnen %v, want %s", step, table, wantWohnen)
			}
			if _, table := chartFigures(t, res, fmt.Sprintf("chart-q%d", f.zufrieden.ID)); strings.Join(table, "|") != wantZufrieden {
				t.Fatalf("%s: zufrieden %v, want %s", step, table, wantZufrieden)
			}
		}
	}
	counted := func() (misses, caughtUp int64) {
		_, misses = tallies.Stats()
		return misses, tallies.CaughtUp()
	}

	finish(person("eins"), nil, "2", "5")
	expect("one response", 1, "0 (0 %)|1 (100 %)", "0 (0 %)|0 (0 %)|0 (0 %)|0 (0 %)|1 (100 %)")
	misses, caught := counted()

	// Two new responses: added to the cached counts.
	finish(person("zwei"), nil, "1", "3")
	finish(person("drei"), nil, "2", "5")
	expect("three responses", 3, "1 (33 %)|2 (67 %)", "0 (0 %)|0 (0 %)|1 (33 %)|0 (0 %)|2 (67 %)")
	if m, c := counted(); m != misses || c != caught+1 {
		t.Fatalf("new responses: %d more full counts, %d catch-ups (want 0 and 1)", m-misses, c-caught)
	}

	// Vier starts a run (the response row exists from the first step on),
	// Fünf answers in full, the counts are read, then Vier finishes: its
	// row is older than the newest counted one, so all is counted again.
	vier := person("vier")
	res := vier.Get(f.path())
	res = vier.Submit(res, form, url.Values{"go": {"next"}, f.wohnen.Field(): {"1"}})
	finish(person("fuenf"), nil, "2", "1")
	expect("four responses", 4, "1 (25 %)|3 (75 %)", "1 (25 %)|0 (0 %)|1 (25 %)|0 (0 %)|2 (50 %)")
	misses, caught = counted()
	res = vier.Submit(res, form, url.Values{"go": {"next"}, f.miete.Field(): {"900 Euro"}})
	res = vier.Submit(res, form, url.Values{"go": {"next"}, f.zufrieden.Field(): {"2"}})
	if res = vier.Submit(res, form, url.Values{"go": {"submit"}}); !strings.Contains(res.Text(), "Vielen Dank") {
		t.Fatalf("vier: %s", res.Text())
	}
	expect("a run finished late", 5, "2 (40 %)|3 (60 %)", "1 (20 %)|1 (20 %)|1 (20 %)|0 (0 %)|2 (40 %)")
	if m, c := counted(); m != misses+1 || c != caught {
		t.Fatalf("late run: %d full counts, %d catch-ups (want 1 and 0)", m-misses, c-caught)
	}

	// Eins changes the answers: same number of responses, counted again.
	misses, caught = counted()
	eins, err := a.Store.UserByEmail(t.Context(), "eins@example.org")
	if err != nil {
		t.Fatal(err)
	}
	finish(a.SessionClient(t, eins), nil, "1", "4")
	expect("a changed response", 5, "3 (60 %)|2 (40 %)", "1 (20 %)|1 (20 %)|1 (20 %)|1 (20 %)|1 (20 %)")
	if m, c := counted(); m != misses+1 || c != caught {
		t.Fatalf("changed response: %d full counts, %d catch-ups (want 1 and 0)", m-misses, c-caught)
	}
}
