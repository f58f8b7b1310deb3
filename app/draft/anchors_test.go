package draft

import (
	"strings"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/markdown"
)

// version turns Markdown into stored blocks with anchors, as SaveChapter does.
func version(prev []app.DraftBlock, next int, src string) ([]app.DraftBlock, int) {
	parsed := markdown.Blocks(src)
	anchors, next := AssignAnchors(prev, parsed, next)
	out := make([]app.DraftBlock, len(parsed))
	for i, b := range parsed {
		out[i] = app.DraftBlock{Anchor: anchors[i], Kind: b.Kind, Text: b.Text, Position: i}
	}
	return out, next
}

func anchorsOf(blocks []app.DraftBlock) string {
	var a []string
	for _, b := range blocks {
		a = append(a, b.Anchor)
	}
	return strings.Join(a, " ")
}

func TestAnchorsOfTheFirstVersionAreNumberedInOrder(t *testing.T) {
	v1, next := version(nil, 1, "# Titel\n\nEins.\n\n- a\n- b\n\n| x |\n|---|\n| 1 |\n\n> Zitat\n\n```\ncode\n```")
	if got := anchorsOf(v1); got != "p-1 p-2 p-3 p-4 p-5 p-6 p-7" || next != 8 {
		t.Fatalf("anchors %q, next %d", got, next)
	}
	kinds := []string{app.BlockHeading, app.BlockParagraph, app.BlockListItem, app.BlockListItem, app.BlockTable, app.BlockQuote, app.BlockCode}
	for i, k := range kinds {
		if v1[i].Kind != k {
			t.Errorf("block %d is %s, want %s", i, v1[i].Kind, k)
		}
	}
}

func TestAnchorsSurviveEditsMovesAndRemovals(t *testing.T) {
	v1, next := version(nil, 1, `Der Wohnungsmarkt in Leipzig ist angespannt und die Mieten steigen.

Die Stadt fördert Genossenschaften und gemeinschaftliche Wohnprojekte.

Neue Quartiere entstehen am Bayerischen Bahnhof und in Eutritzsch.

Freiräume wachsen mit den Quartieren mit.`)
	// p-1 unchanged, p-2 edited, p-3 removed, new paragraph, p-4 moved to the front.
	v2, next2 := version(v1, next, `Freiräume wachsen mit den Quartieren mit.

Der Wohnungsmarkt in Leipzig ist angespannt und die Mieten steigen.

Die Stadt fördert Genossenschaften, Baugruppen und gemeinschaftliche Wohnprojekte.

Ein ganz neuer Gedanke zum Klimaschutz im Gebäudebestand.`)
	if got := anchorsOf(v2); got != "p-4 p-1 p-2 p-5" || next2 != 6 {
		t.Fatalf("second version anchors %q, next %d", got, next2)
	}
	// The removed p-3 is never given to new text, even text like it later.
	v3, next3 := version(v2, next2, `Freiräume wachsen mit den Quartieren mit.

Neue Quartiere entstehen am Bayerischen Bahnhof und in Eutritzsch.`)
	if got := anchorsOf(v3); got != "p-4 p-6" || next3 != 7 {
		t.Fatalf("third version anchors %q, next %d", got, next3)
	}
}

func TestRewrittenBlockGetsAFreshAnchor(t *testing.T) {
	v1, next := version(nil, 1, "Ein Absatz über Radwege in der Innenstadt.\n\nZweiter Absatz.")
	v2, _ := version(v1, next, "Etwas völlig anderes über Schulen und Kitas im Norden.\n\nZweiter Absatz.")
	if got := anchorsOf(v2); got != "p-3 p-2" {
		t.Fatalf("a rewritten paragraph kept its anchor: %q", got)
	}
}

func TestIdenticalParagraphsKeepTheirOwnAnchors(t *testing.T) {
	v1, next := version(nil, 1, "Gleich.\n\nMitte.\n\nGleich.")
	v2, _ := version(v1, next, "Neu.\n\nGleich.\n\nMitte.\n\nGleich.")
	if got := anchorsOf(v2); got != "p-4 p-1 p-2 p-3" {
		t.Fatalf("anchors %q", got)
	}
}

func TestAnchorsDoNotCrossKinds(t *testing.T) {
	v1, next := version(nil, 1, "Radwege ausbauen und sicherer machen.")
	v2, _ := version(v1, next, "- Radwege ausbauen und sicherer machen.")
	if got := anchorsOf(v2); got != "p-2" {
		t.Fatalf("a paragraph that became a list item kept its anchor: %q", got)
	}
}

func TestRedlineShowsEveryChange(t *testing.T) {
	v1, next := version(nil, 1, "Bleibt.\n\nDie Stadt baut zwei Schulen.\n\nFällt weg.")
	v2, _ := version(v1, next, "Bleibt.\n\nDie Stadt baut drei neue Schulen.\n\nKommt dazu.")
	got := Redline(v1, v2)
	if len(got) != 4 {
		t.Fatalf("%d redline blocks: %+v", len(got), got)
	}
	want := []struct{ anchor, change string }{{"p-1", ChangeSame}, {"p-2", ChangeChanged}, {"p-3", ChangeRemoved}, {"p-4", ChangeAdded}}
	for i, w := range want {
		if got[i].Anchor != w.anchor || got[i].Change != w.change {
			t.Errorf("block %d: %s %s, want %s %s", i, got[i].Anchor, got[i].Change, w.anchor, w.change)
		}
	}
	var del, ins []string
	for _, p := range got[1].Parts {
		switch p.Op {
		case OpDelete:
			del = append(del, p.Text)
		case OpInsert:
			ins = append(ins, p.Text)
		}
	}
	if strings.Join(del, "|") != "zwei" || strings.Join(ins, "|") != "drei neue" {
		t.Errorf("word diff: deleted %q, inserted %q", del, ins)
	}
}

func TestWordDiffRebuildsBothTexts(t *testing.T) {
	a := "Leipzig wächst nachhaltig, mit Wohnungen, Arbeit und Grün für alle."
	b := "Leipzig wächst sozial und nachhaltig, mit bezahlbaren Wohnungen und Grün für alle Menschen."
	var oldText, newText strings.Builder
	for _, p := range WordDiff(a, b) {
		if strings.TrimSpace(p.Text) != p.Text && p.Op != OpEqual {
			t.Errorf("a marked part has white space at its edge: %q", p.Text)
		}
		if p.Op != OpInsert {
			oldText.WriteString(p.Text)
		}
		if p.Op != OpDelete {
			newText.WriteString(p.Text)
		}
	}
	norm := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	if norm(oldText.String()) != a || norm(newText.String()) != b {
		t.Fatalf("parts do not rebuild the texts:\n%q\n%q", oldText.String(), newText.String())
	}
}

func TestPeriodState(t *testing.T) {
	base := mustTime(t, "2027-03-01T00:00:00Z")
	periods := []app.CommentPeriod{
		{ID: 1, StartsAt: base, EndsAt: base.AddDate(0, 0, 14)},
		{ID: 2, StartsAt: base.AddDate(0, 1, 0), EndsAt: base.AddDate(0, 1, 14)},
	}
	if st := PeriodStateOf(periods, base.AddDate(0, 0, -1)); st.Open || st.Next == nil || st.Next.ID != 1 {
		t.Errorf("before: %+v", st)
	}
	if st := PeriodStateOf(periods, base); !st.Open || st.Current.ID != 1 {
		t.Errorf("at the start: %+v", st)
	}
	if st := PeriodStateOf(periods, base.AddDate(0, 0, 14)); st.Open || st.Last.ID != 1 || st.Next.ID != 2 {
		t.Errorf("at the end (exclusive): %+v", st)
	}
	if st := PeriodStateOf(nil, base); st.Open || st.Next != nil || st.Last != nil {
		t.Errorf("without periods: %+v", st)
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
