package similar

import (
	"slices"
	"testing"
)

func TestTermsFoldSpellingAndStems(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"Straße", "Strasse"},
		{"Bäume", "Baeume"},
		{"Bäume", "Baum"},
		{"für die Kita", "Kindergarten"},
		{"am Hbf", "Hauptbahnhof"},
		{"ÜBERDACHUNG", "Überdachung"},
	} {
		if a, b := Terms(tc.a), Terms(tc.b); !slices.Equal(a, b) {
			t.Errorf("Terms(%q) = %v, Terms(%q) = %v; want the same", tc.a, a, tc.b, b)
		}
	}
	if got := Terms("Bitte, die Stadt Leipzig sollte endlich etwas tun!"); !slices.Equal(got, []string{"tun"}) {
		t.Errorf("stop words: got %v", got)
	}
	if got := Terms("Tempo 30 in der Zone"); !slices.Contains(got, "30") {
		t.Errorf("numbers are kept: got %v", got)
	}
}

func TestAnalyzeIsStableAndEmptyTextHasNoBands(t *testing.T) {
	a, b := Analyze("Mehr Bäume in der Eisenbahnstraße"), Analyze("mehr baeume in der eisenbahnstrasse!")
	if !slices.Equal(a.Bands, b.Bands) || len(a.Bands) != Bands {
		t.Fatalf("band keys differ or are missing: %v / %v", a.Bands, b.Bands)
	}
	if fp := Analyze("und oder aber ..."); len(fp.Bands) != 0 || len(fp.Terms) != 0 {
		t.Fatalf("a text of stop words has a fingerprint: %+v", fp)
	}
}

func TestScoreRangeAndOrder(t *testing.T) {
	same := Terms("Ein durchgehender Radweg auf der Karl-Liebknecht-Straße")
	if s := Score(same, same); s < 0.999 || s > 1 {
		t.Fatalf("score of a text with itself = %v, want 1", s)
	}
	if s := Score(same, Terms("Kostenloses Mittagessen an Grundschulen")); s >= MinScore {
		t.Fatalf("unrelated texts score %v", s)
	}
	para := Score(same, Terms("Auf der Karl-Liebknecht-Strasse fehlt ein durchgehender Radstreifen"))
	other := Score(same, Terms("Die Gehwege der Karl-Liebknecht-Straße sind mit Tischen zugestellt"))
	if para <= other {
		t.Fatalf("paraphrase %v should score above a different demand at the same place %v", para, other)
	}
	if Score(nil, same) != 0 {
		t.Fatal("empty text scores above 0")
	}
}

func TestRankOrdersAndCuts(t *testing.T) {
	q := Terms("Mehr Bäume in der Eisenbahnstraße pflanzen")
	got := Rank(q, map[int64][]string{
		1: Terms("Kostenloses Schulessen"),
		2: Terms("In der Eisenbahnstraße sollen neue Straßenbäume gepflanzt werden"),
		3: Terms("Eisenbahnstraße Bäume pflanzen, mehr Grün"),
	}, 1)
	if len(got) != 1 || got[0].ID != 3 {
		t.Fatalf("Rank = %+v, want only 3", got)
	}
}

// BenchmarkRank200: reranking the 200 candidates of one query (the Go part
// of a suggestion list), with the texts of the labelled set.
func BenchmarkRank200(b *testing.B) {
	var texts [][]string
	for _, g := range loadGroups(b) {
		texts = append(texts, Analyze(g.a).Terms, Analyze(g.same).Terms)
		for _, p := range g.paraphrases {
			texts = append(texts, Analyze(p).Terms)
		}
	}
	candidates := map[int64][]string{}
	for i := 0; i < 200; i++ {
		candidates[int64(i)] = texts[i%len(texts)]
	}
	for b.Loop() {
		Rank(texts[0], candidates, 5)
	}
}
