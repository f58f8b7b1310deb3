package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/search"
	"github.com/mitwirken/mitwirken/app/seed"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// searchCorpus is the demo installation plus contributions written for the
// search tests: published ones with inflected forms, umlauts and
// transliterations, and a hidden, a pending and a redacted one, an
// official answer, and a members-only lab. It returns the addresses of the
// contributions by key, the lab's address and a member of it.
func searchCorpus(t *testing.T) (*store.Store, map[string]string, string, *app.User) {
	t.Helper()
	ctx := context.Background()
	s := testenv.OpenStore(t, nil)
	if err := seed.Demo(ctx, s, seed.Options{}); err != nil {
		t.Fatal(err)
	}
	mod := testenv.CreateUser(t, s, "suche-mod@example.org", "Moderatorin Suche", app.RoleModerator)
	urls := map[string]string{}
	add := func(key, body, ortsteil, action string) *app.Contribution {
		c := &app.Contribution{Channel: app.ChannelWerkstatt, AuthorLabel: "Werkstattgespräch", EnteredBy: &mod.ID, Body: body}
		if ortsteil != "" {
			c.OrtsteilCode = &ortsteil
		}
		if err := s.CreateContribution(ctx, c); err != nil {
			t.Fatal(err)
		}
		if action != "" {
			if _, _, err := s.Moderate(ctx, mod, c.ID, app.ModerationInput{Action: app.ActionApprove}); err != nil {
				t.Fatal(err)
			}
		}
		if action == app.ActionHide {
			if _, _, err := s.Moderate(ctx, mod, c.ID, app.ModerationInput{Action: app.ActionHide, Reason: app.ReasonAdvertising}); err != nil {
				t.Fatal(err)
			}
		}
		urls[key] = "/beitraege/" + c.PublicNumber()
		return c
	}
	pub := app.ActionApprove
	radweg := add("radweg", "Die Karl-Liebknecht-Straße braucht endlich einen geschützten Radweg.", "40", pub)
	add("baeume", "Mehr Straßenbäume in Grünau pflanzen und die Größe der Baumscheiben verdoppeln.", "62", pub)
	add("wohnen", "Bezahlbare Wohnungen für Familien in Connewitz schaffen.", "41", pub)
	add("schule", "Die Schulen in Paunsdorf sind überfüllt, wir brauchen eine neue Grundschule.", "24", pub)
	add("essen", "Kostenloses Mittagessen an allen Grundschulen einführen.", "", pub)
	add("tram", "Die Straßenbahnlinie 11 soll nachts häufiger fahren.", "", pub)
	add("klo", "Öffentliche Toiletten im Clara-Zetkin-Park fehlen.", "", pub)
	add("spiel", "Mehr Spielplätze und Grünflächen für Kinder im Leipziger Osten.", "21", pub)
	add("fuss", "Die Fußgängerüberwege an der Jahnallee sind zu gefährlich.", "", pub)
	add("quelle", "Die Quellen im Auwald müssen geschützt werden, das Quartier daneben auch.", "", pub)
	add("hidden", "Wer Zwiebelkuchen kauft, bekommt Rabatt!", "", app.ActionHide)
	add("pending", "Eine Quartiersgarage in Plagwitz bauen.", "", "")
	red := add("redacted", "Herr Obermeier aus der Gießerstraße 12 beschwert sich über Lärm.", "", pub)
	if _, err := s.Redact(ctx, mod, red.ID, "Eine Person beschwert sich über Lärm.", "Name und Anschrift entfernt"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetAnswer(ctx, mod, radweg.ID, "Die Stadt prüft eine Protected Bike Lane auf der Achse in die Südvorstadt."); err != nil {
		t.Fatal(err)
	}
	host := testenv.CreateUser(t, s, "suche-host@example.org", "Gastgeberin Suche", app.RoleCitizen)
	l := &app.Lab{Title: "Geheimlabor Auwaldschutz", Theme: "umwelt", Description: "Ein geschlossener Kreis zur Auenlandschaft.", Status: app.LabActive, Open: false, ProposedBy: &host.ID}
	if err := s.CreateLab(ctx, l, host.ID); err != nil {
		t.Fatal(err)
	}
	// An announced survey is found; a draft never.
	opens := time.Now().Add(48 * time.Hour)
	soon := &app.Survey{Title: "Spielstraßen im Sommer", Intro: "Welche Straßen sollen an Sonntagen den Kindern gehören?", OpensAt: &opens}
	draft := &app.Survey{Title: "Unveröffentlichte Parkplatzumfrage", Intro: "Noch geheim."}
	for _, sv := range []*app.Survey{soon, draft} {
		if err := s.CreateSurvey(ctx, sv); err != nil {
			t.Fatal(err)
		}
	}
	urls["survey"] = "/umfragen/" + itoa(soon.ID)
	return s, urls, "/labs/" + itoa(l.ID), host
}

func topURL(t *testing.T, s *store.Store, kind, q string, f store.SearchFilter) (string, int) {
	t.Helper()
	hits, total, err := s.Search(context.Background(), kind, search.Parse(q), f, 0, 10)
	if err != nil {
		t.Fatalf("%s %q: %v", kind, q, err)
	}
	if len(hits) == 0 {
		return "", total
	}
	return hits[0].URL, total
}

// TestSearchCorpus: the test corpus of the search. Every query names the
// result it must bring first (or that it finds nothing); the suite runs on
// SQLite and on PostgreSQL, so both databases give the same top results.
func TestSearchCorpus(t *testing.T) {
	s, c, secretLab, member := searchCorpus(t)
	cases := []struct {
		kind, q, want string
	}{
		// Inflected forms, compounds' parts spelled alike, umlauts and ß.
		{store.SearchContribution, "geschützter Radweg", c["radweg"]},
		{store.SearchContribution, "Radwegen Liebknecht", c["radweg"]},
		{store.SearchContribution, "Karl-Liebknecht-Strasse", c["radweg"]},
		{store.SearchContribution, "Straßenbäumen", c["baeume"]},
		{store.SearchContribution, "Strassenbaeume", c["baeume"]},
		{store.SearchContribution, "Groesse Baumscheibe", c["baeume"]},
		{store.SearchContribution, "bezahlbare Wohnung", c["wohnen"]},
		{store.SearchContribution, "Grundschule Paunsdorf", c["schule"]},
		{store.SearchContribution, "überfüllte Schule", c["schule"]},
		{store.SearchContribution, "Mittagessens", c["essen"]},
		{store.SearchContribution, "STRASSENBAHNLINIE", c["tram"]},
		{store.SearchContribution, "Toilette", c["klo"]},
		{store.SearchContribution, "oeffentliche Toiletten", c["klo"]},
		{store.SearchContribution, "Spielplatz", c["spiel"]},
		{store.SearchContribution, "Fussgaengerueberwege", c["fuss"]},
		{store.SearchContribution, "Quelle", c["quelle"]},
		{store.SearchContribution, "Quartiere", c["quelle"]},
		{store.SearchContribution, "Laerm", c["redacted"]},
		// The official answer is found with its contribution.
		{store.SearchContribution, "Protected Bike Lane", c["radweg"]},
		// Hidden, pending and redacted-away text is never found.
		{store.SearchContribution, "Zwiebelkuchen", ""},
		{store.SearchContribution, "Quartiersgarage", ""},
		{store.SearchContribution, "Gießerstraße", ""},
		{store.SearchContribution, "Obermeier", ""},
		// Stop words only: nothing to look for.
		{store.SearchContribution, "die und der", ""},
		// Paragraphs of the published draft, with their anchors.
		{store.SearchParagraph, "Radverkehrs", "/entwurf/mobilitaet#p-4"},
		{store.SearchParagraph, "Lebensqualitaet", "/entwurf/zielbild#p-4"},
		{store.SearchParagraph, "Internationalität", "/entwurf/zielbild#p-7"},
		// Events, labs, boards and pages.
		{store.SearchEvent, "Wohnens", "/veranstaltungen/3"},
		{store.SearchEvent, "Freiräume Klima", "/veranstaltungen/5"},
		{store.SearchEvent, "Auftaktveranstaltungen", "/veranstaltungen/1"},
		{store.SearchLab, "Buergerstadt", "/labs/2"},
		{store.SearchLab, "Energiegenossenschaft", "/labs/1"},
		{store.SearchBoard, "Waermewende", "/labs/1/boards/1"},
		// Surveys with an opening date, by title and introduction; drafts never.
		{store.SearchSurvey, "Viertels lebenswert", "/umfragen/1"},
		{store.SearchSurvey, "Spielstrasse", c["survey"]},
		{store.SearchSurvey, "Sonntag Kinder", c["survey"]},
		{store.SearchSurvey, "Parkplatzumfrage", ""},
		{store.SearchPage, "Durchsetzungsstelle", "/barrierefreiheit"},
		{store.SearchPage, "Koerperschaft", "/impressum"},
		{store.SearchPage, "Argon2id", "/datenschutz"},
		// A members-only lab is not found by others.
		{store.SearchLab, "Geheimlabor", ""},
		{store.SearchLab, "Auwaldschutz", ""},
	}
	if len(cases) < 30 {
		t.Fatalf("the corpus has %d queries, at least 30 are promised", len(cases))
	}
	for _, tc := range cases {
		if got, _ := topURL(t, s, tc.kind, tc.q, store.SearchFilter{}); got != tc.want {
			t.Errorf("%s %q: first result %q, want %q", tc.kind, tc.q, got, tc.want)
		}
	}
	// Its members find it.
	if got, _ := topURL(t, s, store.SearchLab, "Geheimlabor", store.SearchFilter{ViewerID: member.ID}); got != secretLab {
		t.Errorf("a member searching the members-only lab: %q, want %q", got, secretLab)
	}
	if got, _ := topURL(t, s, store.SearchLab, "Geheimlabor", store.SearchFilter{ViewerID: member.ID + 1000}); got != "" {
		t.Errorf("someone else finds the members-only lab: %q", got)
	}
}

// TestSearchFilters: a chapter, an Ortsteil and a period narrow the
// results, and leave out the kinds that have no such field.
func TestSearchFilters(t *testing.T) {
	ctx := context.Background()
	s, c, _, _ := searchCorpus(t)
	if got, n := topURL(t, s, store.SearchContribution, "Grünau Connewitz Paunsdorf", store.SearchFilter{}); got != "" || n != 0 {
		t.Fatalf("all words are required: %q (%d)", got, n)
	}
	_, all := topURL(t, s, store.SearchContribution, "Grundschule", store.SearchFilter{})
	if all != 2 {
		t.Fatalf("Grundschule: %d results, want 2", all)
	}
	got, n := topURL(t, s, store.SearchContribution, "Grundschule", store.SearchFilter{Ortsteil: "24"})
	if got != c["schule"] || n != 1 {
		t.Fatalf("Grundschule in Paunsdorf: %q (%d)", got, n)
	}
	if !store.SearchIncludes(store.SearchContribution, store.SearchFilter{Ortsteil: "24"}) || store.SearchIncludes(store.SearchEvent, store.SearchFilter{Ortsteil: "24"}) {
		t.Fatal("an Ortsteil keeps contributions only")
	}
	if _, n := topURL(t, s, store.SearchEvent, "Wohnen", store.SearchFilter{Ortsteil: "24"}); n != 0 {
		t.Fatalf("events under an Ortsteil filter: %d", n)
	}
	past := time.Now().Add(-24 * time.Hour)
	future := time.Now().Add(24 * time.Hour)
	if _, n := topURL(t, s, store.SearchContribution, "Grundschule", store.SearchFilter{From: &past, To: &future}); n != 2 {
		t.Fatalf("Grundschule written in the last day: %d", n)
	}
	if _, n := topURL(t, s, store.SearchContribution, "Grundschule", store.SearchFilter{To: &past}); n != 0 {
		t.Fatalf("Grundschule written before yesterday: %d", n)
	}
	var chapterID int64
	if err := s.Gorm().Table("draft_chapters").Where("slug = ?", "mobilitaet").Pluck("id", &chapterID).Error; err != nil {
		t.Fatal(err)
	}
	if got, _ := topURL(t, s, store.SearchParagraph, "Radverkehr", store.SearchFilter{ChapterID: chapterID}); got != "/entwurf/mobilitaet#p-4" {
		t.Fatalf("Radverkehr in the chapter: %q", got)
	}
	if _, n := topURL(t, s, store.SearchParagraph, "Radverkehr", store.SearchFilter{ChapterID: chapterID + 1000}); n != 0 {
		t.Fatalf("Radverkehr in another chapter: %d", n)
	}
	// Paging: the second page continues the first.
	first, total, err := s.Search(ctx, store.SearchParagraph, search.Parse("Leipzig"), store.SearchFilter{}, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	second, _, err := s.Search(ctx, store.SearchParagraph, search.Parse("Leipzig"), store.SearchFilter{}, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if total < 4 || len(first) != 2 || len(second) != 2 || first[1].ID == second[0].ID || first[0].ID == second[0].ID {
		t.Fatalf("pages: %d in all, %+v then %+v", total, first, second)
	}
}

// TestSearchIndexFollowsTheContent: the index changes in the transaction
// that changes the text: an edit is found at once, the old words are gone.
func TestSearchIndexFollowsTheContent(t *testing.T) {
	ctx := context.Background()
	s := testenv.OpenStore(t, nil)
	host := testenv.CreateUser(t, s, "host@example.org", "Gastgeber", app.RoleCitizen)
	l := &app.Lab{Title: "Lastenräder teilen", Theme: "verkehr", Description: "Ein Verleih für Lastenfahrräder im Viertel.", Status: app.LabActive, Open: true, ProposedBy: &host.ID}
	if err := s.CreateLab(ctx, l, host.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := topURL(t, s, store.SearchLab, "Lastenrad", store.SearchFilter{}); got != "/labs/"+itoa(l.ID) {
		t.Fatalf("new lab: %q", got)
	}
	if err := s.UpdateLab(ctx, l.ID, app.LabInput{Title: "Werkzeug teilen", Theme: "verkehr", Description: "Eine Bibliothek der Dinge.", Open: true}); err != nil {
		t.Fatal(err)
	}
	if got, _ := topURL(t, s, store.SearchLab, "Lastenrad", store.SearchFilter{}); got != "" {
		t.Fatalf("old title still found: %q", got)
	}
	if got, _ := topURL(t, s, store.SearchLab, "Bibliotheken", store.SearchFilter{}); got != "/labs/"+itoa(l.ID) {
		t.Fatalf("new description: %q", got)
	}
}

func TestSnippetEscapesAndMarks(t *testing.T) {
	got := string(search.Snippet(`<script>alert(1)</script> Die Straßenbäume & "Bäume"`, search.Parse("Baum Strassenbaeume")))
	want := `&lt;script&gt;alert(1)&lt;/script&gt; Die <mark>Straßenbäume</mark> &amp; &#34;<mark>Bäume</mark>&#34;`
	if got != want {
		t.Fatalf("snippet\n got %s\nwant %s", got, want)
	}
	long := strings.Repeat("Wort ", 100) + "Radweg am Ende"
	if got := string(search.Snippet(long, search.Parse("Radwege"))); !strings.HasPrefix(got, "… ") || !strings.Contains(got, "<mark>Radweg</mark> am Ende") {
		t.Fatalf("long snippet %s", got)
	}
}
