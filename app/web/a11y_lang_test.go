package web_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app/testenv"
)

// contentColumns hold what people and admins wrote themselves, in German
// (the platform's content language): on an English page each piece must
// sit inside an element with lang="de" (WCAG 3.1.2), or a screen reader
// reads it with English pronunciation. Names of people and places are
// exempt (3.1.2 excludes proper names) and so are not listed.
var contentColumns = []string{
	"events.title", "events.description", "events.venue_access", "events.cancel_reason",
	"stadtgebiete.name", "event_draws.seed_source",
	"draft_documents.title", "draft_documents.intro", "draft_chapters.title", "draft_chapters.fachamt",
	"draft_blocks.text", "draft_versions.note",
	"contributions.body", "contributions.reason_text", "contributions.answer_body",
	"contributions.assessment_reasoning", "contribution_reports.text",
	"labs.title", "labs.theme", "labs.description", "labs.reject_reason",
	"boards.title", "board_columns.title", "board_cards.body", "lab_handovers.body",
	"selection_categories.name", "selection_values.label", "feedback.message",
}

// contentTexts reads every piece of German content now in the database.
// Bilingual content blocks count with their German text only where the
// English one is missing (the page then falls back to German). Names of
// Stadtbezirke and Ortsteile are proper names even where an admin named a
// Stadtgebiet like one ("Nord"), and are left out. A German mail's text
// counts only as a whole: it repeats titles and addresses shown elsewhere.
func contentTexts(t *testing.T, a *testenv.App) (pieces, whole []string) {
	t.Helper()
	var places []string
	for _, q := range []string{"SELECT name FROM stadtbezirke", "SELECT name FROM ortsteile"} {
		var names []string
		if err := a.Store.Gorm().Raw(q).Scan(&names).Error; err != nil {
			t.Fatal(err)
		}
		places = append(places, names...)
	}
	var out []string
	for _, tc := range contentColumns {
		table, col, _ := strings.Cut(tc, ".")
		var vals []string
		if err := a.Store.Gorm().Table(table).Pluck(col, &vals).Error; err != nil {
			t.Fatalf("read %s: %v", tc, err)
		}
		out = append(out, vals...)
	}
	// Mails are in their recipient's language.
	var mails []struct{ Subject, BodyText string }
	if err := a.Store.Gorm().Table("outbox").Select("subject, body_text").Where("lang = ?", "de").Scan(&mails).Error; err != nil {
		t.Fatal(err)
	}
	for _, m := range mails {
		out = append(out, m.Subject)
		whole = append(whole, m.BodyText)
	}
	var blocks []struct{ TitleDE, TitleEN, BodyDE, BodyEN string }
	if err := a.Store.Gorm().Table("content_blocks").Select("title_de, title_en, body_de, body_en").Scan(&blocks).Error; err != nil {
		t.Fatal(err)
	}
	for _, b := range blocks {
		if b.TitleEN == "" {
			out = append(out, b.TitleDE)
		}
		if b.BodyEN == "" {
			out = append(out, b.BodyDE)
		}
	}
	for _, c := range out {
		if !slices.Contains(places, c) {
			pieces = append(pieces, c)
		}
	}
	return pieces, whole
}

// pageTexts lists the text of the page a screen reader reads, each with the
// language it is announced in (the nearest lang attribute).
const pageTexts = `(() => {
	const out = [];
	const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n = walk.nextNode(); n; n = walk.nextNode()) {
		const el = n.parentElement;
		if (!el || el.closest('script, style, template, [aria-hidden="true"], [hidden]')) continue;
		const text = n.textContent.replace(/\s+/g, ' ').trim();
		if (!text) continue;
		const holder = el.closest('[lang]');
		out.push({text, lang: holder ? holder.getAttribute('lang') : ''});
	}
	return out;
})()`

type pageText struct {
	Text string `json:"text"`
	Lang string `json:"lang"`
}

// contentIn reports whether text is (part of) a piece of content, or
// carries one inside an English sentence. Short pieces must match whole;
// longer ones may be a part (Markdown splits a body into many text nodes).
func contentIn(text string, contents []string) (string, bool) {
	for _, c := range contents {
		switch {
		case len([]rune(c)) >= 4 && text == c:
		case len([]rune(text)) >= 20 && strings.Contains(c, text):
		case len([]rune(c)) >= 12 && strings.Contains(text, c):
		default:
			continue
		}
		return c, true
	}
	return "", false
}

// checkContentLanguage asserts that no German content of the database is
// announced as English on the page; it returns how many pieces it found
// correctly marked, so the crawl can tell the check really looked.
func checkContentLanguage(t *testing.T, p *crawledPage) int {
	t.Helper()
	pieces, whole := contentTexts(t, p.App)
	for _, list := range [][]string{pieces, whole} {
		for i, c := range list {
			list[i] = strings.Join(strings.Fields(c), " ")
		}
	}
	texts := testenv.Eval[[]pageText](t, p.Tab, pageTexts)
	marked := 0
	for _, pt := range texts {
		c, ok := contentIn(pt.Text, pieces)
		if !ok && slices.Contains(whole, pt.Text) {
			c, ok = pt.Text, true
		}
		if !ok {
			continue
		}
		if pt.Lang == "de" || strings.HasPrefix(pt.Lang, "de-") {
			marked++
			continue
		}
		t.Errorf("%s: German content shown as lang=%q: %q (from %q)", p.label(), pt.Lang, short(pt.Text), short(c))
	}
	return marked
}

func short(s string) string {
	if r := []rune(s); len(r) > 90 {
		return string(r[:90]) + "…"
	}
	return s
}
