package web_test

import (
	"github.com/PuerkitoBio/goquery"

	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestReportSentencesInBothLanguages renders the Beteiligungsbericht with
// 0, 1 and 2 contributions, assessments and events in German and English
// and reads the sentences a member of the city council reads.
func TestReportSentencesInBothLanguages(t *testing.T) {
	f := newDraftFix(t, app.ModerationPost, testenv.WithoutSMTP())
	admin := f.a.SessionClient(t, f.admin)
	want := map[int]map[string][]string{
		0: {"de": {"0 Anregungen sind veröffentlicht. Davon sind 0 abgewogen. 0 Abwägungen sind öffentlich.", "0 Veranstaltungen"},
			"en": {"0 contributions are published. Of these, 0 are assessed. 0 assessments are public.", "0 events"}},
		1: {"de": {"1 Anregung ist veröffentlicht. Davon ist 1 abgewogen. 1 Abwägung ist öffentlich.", "1 Veranstaltung ", "1 Anregung aus allen Kanälen"},
			"en": {"1 contribution is published. Of these, 1 is assessed. 1 assessment is public.", "1 event ", "1 contribution from all channels"}},
		2: {"de": {"2 Anregungen sind veröffentlicht. Davon sind 2 abgewogen. 2 Abwägungen sind öffentlich.", "2 Veranstaltungen", "2 Anregungen aus allen Kanälen"},
			"en": {"2 contributions are published. Of these, 2 are assessed. 2 assessments are public.", "2 events", "2 contributions from all channels"}},
	}
	for n := 0; n <= 2; n++ {
		if n > 0 {
			c := f.comment(t, f.cit, "", fmt.Sprintf("Anregung Nummer %d für den Bericht.", n))
			if _, err := f.a.Platform.Draft.Assess(context.Background(), f.admin, c.ID, app.AssessmentInput{Status: app.AssessNoted, Reasoning: "Wird geprüft.", Publish: true}); err != nil {
				t.Fatal(err)
			}
			createEvent(t, f.a)
		}
		for _, lang := range []string{"de", "en"} {
			text := admin.Get("/admin/bericht?lang=" + lang).Text()
			for _, s := range want[n][lang] {
				if !strings.Contains(text, s) {
					t.Errorf("report with %d in %s lacks %q", n, lang, s)
				}
			}
			for _, wrong := range []string{"1 are", "1 assessments", "sind 1 ", "1 Anregungen", "1 Veranstaltungen", "1 events", "Kick-off, Fachforum"} {
				if strings.Contains(text, wrong) {
					t.Errorf("report with %d in %s says %q", n, lang, wrong)
				}
			}
		}
	}
	// The weeks of the chart name their first day as the reader writes dates
	// ("(from 30.11.)" was German inside English).
	week := func(lang string) string {
		return admin.Get("/admin/bericht?lang=" + lang).Doc.Find("#chart-time tbody th").First().Text()
	}
	// The week is Berlin's: between 22:00/23:00 and 24:00 UTC Berlin is
	// already on the next day (and a Sunday evening in UTC can be Monday).
	monday := f.a.Store.Now().In(berlinZone(t))
	for monday.Weekday() != time.Monday {
		monday = monday.AddDate(0, 0, -1)
	}
	if got, w := week("de"), fmt.Sprintf("(ab %s)", monday.Format("02.01.")); !strings.Contains(got, w) {
		t.Errorf("German week label %q, want %q", got, w)
	}
	if got, w := week("en"), fmt.Sprintf("(from %s)", monday.Format("2 Jan")); !strings.Contains(got, w) || regexp.MustCompile(`\d\.\)`).MatchString(got) {
		t.Errorf("English week label %q, want %q", got, w)
	}
}

// TestDrawPageSentencesInBothLanguages renders the public draw page of a
// selection event with 1 and 2 seats and a preset age quota in German and
// English: the quota table is in the reader's language and the panel
// sentences agree with their numbers.
func TestDrawPageSentencesInBothLanguages(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	admin := a.SessionClient(t, eventAdmin(t, a))
	for seats := 1; seats <= 2; seats++ {
		ev, _ := quotaEvent(t, a, seats, "16_29", "30_44", "")
		page := admin.Get(eventAdminURL(ev) + "/quoten")
		if res := admin.Submit(page, "main form[action$='/quoten/kategorien']", url.Values{"source": {app.SourceAge}, "name": {""}}); res.Status != 200 {
			t.Fatalf("add the age preset: %d %s", res.Status, res.Text())
		}
		ctx := context.Background()
		if _, err := a.Platform.Events.AnnounceDraw(ctx, eventAdmin(t, a), ev.ID, app.DrawAnnounceInput{SeedSource: "Lottozahlen am Samstag"}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Platform.Events.RunDraw(ctx, eventAdmin(t, a), ev.ID, app.DrawInput{Seed: "1 2 3 4 5 6"}); err != nil {
			t.Fatal(err)
		}
		want := map[string][]string{
			"de": {"Altersgruppe", "16 bis 29 Jahre", "keine Angabe", map[int]string{1: "Jede Besetzung hat 1 Person;", 2: "Jede Besetzung hat 2 Personen;"}[seats]},
			"en": {"Age band", "16 to 29 years", "no answer", map[int]string{1: "Each panel has 1 person;", 2: "Each panel has 2 people;"}[seats]},
		}
		for lang, sentences := range want {
			res := a.Client(t).Get(eventURL(ev) + "/auslosung?lang=" + lang)
			table := strings.Join(strings.Fields(res.Doc.Find("main table").Last().Text()), " ")
			text := res.Text()
			for i, s := range sentences {
				in := text
				if i < 3 {
					in = table
				}
				if !strings.Contains(in, s) {
					t.Errorf("draw page (%d seats, %s) lacks %q in %q", seats, lang, s, in)
				}
			}
			if lang == "en" {
				for _, german := range []string{"Altersgruppe", "Jahre", "keine Angabe", "weiblich"} {
					if strings.Contains(table, german) {
						t.Errorf("English quota table says %q: %s", german, table)
					}
				}
			}
		}
	}
}

func berlinZone(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestReportWeekIsBerlins pins the clock to Sunday 29 November 2026, 23:30
// UTC, which is Monday 30 November 00:30 in Berlin: the contribution made
// then counts in the week from 30 November, the week Berlin is in.
func TestReportWeekIsBerlins(t *testing.T) {
	clock := testenv.NewClock(time.Date(2026, 11, 29, 23, 30, 0, 0, time.UTC))
	f := newDraftFix(t, app.ModerationPost, testenv.WithoutSMTP(), testenv.WithClock(clock))
	admin := f.a.SessionClient(t, f.admin)
	f.comment(t, f.cit, "", "Anregung kurz nach Mitternacht in Leipzig.")
	for lang, want := range map[string]string{"de": "(ab 30.11.)", "en": "(from 30 Nov)"} {
		got := admin.Get("/admin/bericht?lang=" + lang).Doc.Find("#chart-time tbody th")
		if got.Length() != 1 || !strings.Contains(got.Text(), want) {
			t.Errorf("%s week labels %q, want one with %q", lang, got.Text(), want)
		}
	}
}

// TestDrawPageLeadsInPlainLanguage: the public draw page first says in plain
// words what happened and why nobody could steer it; the technical proof
// (hashes, leximin, DRAW.json) comes after the results (issue 12 item 12).
func TestDrawPageLeadsInPlainLanguage(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	ev := a11yDrawnEvent(t, a, true)
	for lang, plain := range map[string]string{"de": "hat das Los entschieden", "en": "a lottery decided"} {
		res := a.Client(t).Get(eventURL(ev) + "/auslosung?lang=" + lang)
		lead := strings.Join(strings.Fields(res.Doc.Find("main h1").NextAll().First().Text()), " ")
		if !strings.Contains(lead, plain) {
			t.Errorf("%s: the page does not begin in plain words: %q", lang, lead)
		}
		var before strings.Builder
		res.Doc.Find("main h1").NextUntil("#proof-title, section:has(#proof-title)").Each(func(_ int, s *goquery.Selection) {
			before.WriteString(s.Text())
		})
		for _, jargon := range []string{"DRAW.json", "Hash", "Leximin", "leximin", "SHA"} {
			if strings.Contains(before.String(), jargon) {
				t.Errorf("%s: %q before the technical proof", lang, jargon)
			}
		}
		if res.Doc.Find("section:has(#proof-title) a[href$='draw.json']").Length() != 1 {
			t.Errorf("%s: the technical proof lacks the DRAW.json download", lang)
		}
	}
}
