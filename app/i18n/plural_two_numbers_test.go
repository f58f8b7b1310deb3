package i18n_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/i18n"
	"github.com/mitwirken/mitwirken/views"
)

// TestTwoNumberSentencesAgree renders every sentence that carries two or
// more numbers with 0, 1 and 2 of each, in German and English, as the
// pages build them: each number comes with its own plural message, so no
// "1 Plätze", "1 applications" or "bei 1 Plätzen" appears anywhere.
func TestTwoNumberSentencesAgree(t *testing.T) {
	b, err := i18n.Load(views.FS)
	if err != nil {
		t.Fatal(err)
	}
	wrong := regexp.MustCompile(`(^|[^0-9])1 (Plätze|Plätzen|offene |Bewerbungen|Zeilen|geänderte |neue |gestrichene |seats|open seats|applications|rows|changed sections|new sections|deleted sections)`)
	noun := regexp.MustCompile(`(^|[^0-9])([02]) (Platz|offener|offenen|Bewerbung|Zeile|geänderter|neuer|gestrichener|seat|open seat|application|row|changed section|new section|deleted section)([^a-zäöüs]|$)`)
	msgs := func(x, y, z int) []app.Msg {
		return []app.Msg{
			app.M("events.invitations_seats", "Seats", app.M("events.n_seats", "Count", x),
				"Open", app.M("events.n_open_seats", "Count", y), "Capacity", app.M("events.n_seats_dat", "Count", z)),
			app.M("events.import_capacity", "Seats", app.M("events.n_seats", "Count", x),
				"Open", app.M("events.n_open_seats_acc", "Count", y), "Capacity", z),
			app.M("draft.redline_summary", "Changed", app.M("draft.n_changed", "Count", x),
				"Added", app.M("draft.n_added", "Count", y), "Removed", app.M("draft.n_removed", "Count", z)),
			app.M("selection.quotas_intro", "Applicants", app.M("selection.n_applications", "Count", x),
				"Seats", app.M("events.n_seats", "Count", y)),
			app.M("results.job_progress", "Done", x, "Count", y),
			app.M("selection.change.min_count", "Category", "Alter", "Value", "16–29", "Current", x, "Suggested", z,
				"Available", y, "AvailableN", app.M("selection.n_applications", "Count", y)),
			app.M("selection.change.panel_size", "Current", x, "Suggested", z, "Available", y,
				"CurrentN", app.M("events.n_seats", "Count", x), "AvailableN", app.M("selection.n_applications", "Count", y)),
		}
	}
	seen := map[string]bool{}
	for _, lang := range []string{"de", "en"} {
		l := b.Localizer(lang)
		for x := 0; x <= 2; x++ {
			for y := 0; y <= 2; y++ {
				for z := 0; z <= 2; z++ {
					for _, m := range msgs(x, y, z) {
						s := l.Msg(m)
						seen[lang+" "+m.ID] = true
						if s == m.ID || strings.Contains(s, "<no value>") || strings.Contains(s, "map[") || strings.Contains(s, "{{") {
							t.Errorf("%s %s (%d,%d,%d): not rendered: %q", lang, m.ID, x, y, z, s)
						}
						if w := wrong.FindString(s); w != "" {
							t.Errorf("%s %s (%d,%d,%d): %q says %q", lang, m.ID, x, y, z, s, w)
						}
						if w := noun.FindString(s); w != "" {
							t.Errorf("%s %s (%d,%d,%d): %q says %q", lang, m.ID, x, y, z, s, w)
						}
					}
				}
			}
		}
	}
	if got := b.Localizer("de").Msg(msgs(1, 1, 1)[0]); got != "Eingeladen für 1 Platz, dazu 1 offener Platz, bei 1 Platz insgesamt." {
		t.Errorf("invitations_seats with 1: %q", got)
	}
	if got := b.Localizer("en").Msg(msgs(2, 0, 1)[2]); got != "2 changed sections, 0 new sections and 1 deleted section." {
		t.Errorf("redline_summary: %q", got)
	}
}
