package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/similar"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// transcribed stores a contribution the way a moderator's transcription
// does (through the one entry of the pipeline).
func transcribed(t *testing.T, s *store.Store, by *app.User, body string) *app.Contribution {
	t.Helper()
	c := &app.Contribution{Channel: app.ChannelWerkstatt, AuthorLabel: "Werkstattgespräch", EnteredBy: &by.ID, Body: body}
	if err := s.CreateContribution(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

func similarNumbers(t *testing.T, s *store.Store, id int64) []string {
	t.Helper()
	got, err := s.SimilarContributions(context.Background(), id, 5)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, g := range got {
		out = append(out, g.PublicNumber())
	}
	return out
}

// TestSimilarFollowsTheText: suggestions are there as soon as a
// contribution is stored, change when a moderator redacts the text and end
// when it is withdrawn.
func TestSimilarFollowsTheText(t *testing.T) {
	ctx := context.Background()
	s := testenv.OpenStore(t, nil)
	mod := testenv.CreateUser(t, s, "mod@example.org", "Moderatorin", app.RoleModerator)
	author := testenv.CreateUser(t, s, "a@example.org", "Autorin", app.RoleCitizen)
	a := transcribed(t, s, mod, "Auf der Karl-Liebknecht-Straße fehlt ein durchgehender, geschützter Radweg.")
	b := transcribed(t, s, mod, "Bitte einen sicheren Radweg über die ganze Karl-Liebknecht-Strasse bauen!")
	transcribed(t, s, mod, "Kostenloses Mittagessen an allen Grundschulen einführen.")
	c := &app.Contribution{Channel: app.ChannelOnline, AuthorID: &author.ID, Body: "Mehr Bäume in der Eisenbahnstraße pflanzen."}
	c.Channel, c.AuthorLabel, c.EnteredBy = app.ChannelFachforum, "Fachforum", &mod.ID
	if err := s.CreateContribution(ctx, c); err != nil {
		t.Fatal(err)
	}

	if got := similarNumbers(t, s, a.ID); fmt.Sprint(got) != fmt.Sprint([]string{b.PublicNumber()}) {
		t.Fatalf("similar to %s: %v, want only %s", a.PublicNumber(), got, b.PublicNumber())
	}
	got, err := s.SimilarContributions(ctx, a.ID, 5)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Score <= 0 || got[0].Score > 1 || !got[0].Likely || got[0].Body != b.Body {
		t.Fatalf("suggestion %+v", got[0])
	}

	if _, err := s.Redact(ctx, mod, b.ID, "Mehr Bäume und Schatten in der Eisenbahnstraße.", ""); err != nil {
		t.Fatal(err)
	}
	if got := similarNumbers(t, s, a.ID); len(got) != 0 {
		t.Fatalf("after the redaction %s still suggests %v", a.PublicNumber(), got)
	}
	if got := similarNumbers(t, s, c.ID); fmt.Sprint(got) != fmt.Sprint([]string{b.PublicNumber()}) {
		t.Fatalf("similar to %s after the redaction: %v, want %s", c.PublicNumber(), got, b.PublicNumber())
	}

	if err := s.WithdrawContribution(ctx, b); err != nil {
		t.Fatal(err)
	}
	if got := similarNumbers(t, s, c.ID); len(got) != 0 {
		t.Fatalf("a withdrawn contribution is suggested: %v", got)
	}
	if n, err := s.SimilarBacklog(ctx); err != nil || n != 0 {
		t.Fatalf("backlog %d, %v; every write indexes in its transaction", n, err)
	}
}

// TestSimilarBacklogAcrossInstances: contributions from before the feature
// (no fingerprint) and after a change of the method (outdated ones) are
// indexed by the background job, which two instances run at once while
// moderators redact texts; afterwards every fingerprint matches its text.
func TestSimilarBacklogAcrossInstances(t *testing.T) {
	ctx := context.Background()
	url := testenv.DatabaseURL(t)
	open := func() *store.Store {
		s, err := store.Open(ctx, store.Options{URL: url})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	one, two := open(), open()
	mod := testenv.CreateUser(t, one, "mod@example.org", "Moderatorin", app.RoleModerator)
	const n = 120
	var all []*app.Contribution
	for i := 0; i < n; i++ {
		all = append(all, transcribed(t, one, mod, fmt.Sprintf("Anregung %d: Radweg und Bäume in der Straße Nummer %d, Thema %d", i, i, i%7)))
	}
	if err := one.Gorm().Exec("DELETE FROM similar_bands").Error; err != nil {
		t.Fatal(err)
	}
	if err := one.Gorm().Exec("DELETE FROM similar_fingerprints WHERE contribution_id % 2 = 0").Error; err != nil {
		t.Fatal(err)
	}
	if err := one.Gorm().Exec("UPDATE similar_fingerprints SET version = 0").Error; err != nil {
		t.Fatal(err)
	}
	if got, err := one.SimilarBacklog(ctx); err != nil || got != n {
		t.Fatalf("backlog %d (%v), want %d", got, err, n)
	}

	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for _, s := range []*store.Store{one, two, one, two} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				done, err := s.IndexSimilarBacklog(ctx, 7)
				if err != nil {
					errs <- err
					return
				}
				if done == 0 {
					return
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < n; i += 5 {
			s := []*store.Store{one, two}[i%2]
			if _, err := s.Redact(ctx, mod, all[i].ID, fmt.Sprintf("Geschwärzt %d: Kita und Schule im Ortsteil", i), ""); err != nil {
				errs <- err
				return
			}
			all[i].Body = fmt.Sprintf("Geschwärzt %d: Kita und Schule im Ortsteil", i)
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got, err := one.SimilarBacklog(ctx); err != nil || got != 0 {
		t.Fatalf("backlog after the jobs: %d (%v)", got, err)
	}
	for _, c := range all {
		var row struct {
			Version int
			Terms   string
		}
		if err := one.Gorm().Raw("SELECT version, terms FROM similar_fingerprints WHERE contribution_id = ?", c.ID).Scan(&row).Error; err != nil {
			t.Fatal(err)
		}
		want := similar.Analyze(c.Body)
		if row.Version != similar.Version || row.Terms != similar.JoinTerms(want.Terms) {
			t.Fatalf("%s: fingerprint %+v, want the terms of %q", c.PublicNumber(), row, c.Body)
		}
		var bands int64
		if err := one.Gorm().Raw("SELECT COUNT(*) FROM similar_bands WHERE contribution_id = ?", c.ID).Scan(&bands).Error; err != nil {
			t.Fatal(err)
		}
		if bands != int64(len(want.Bands)) {
			t.Fatalf("%s has %d band keys, want %d", c.PublicNumber(), bands, len(want.Bands))
		}
	}
	if err := one.OutdateSimilarIndex(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := one.SimilarBacklog(ctx); got != n {
		t.Fatalf("after OutdateSimilarIndex the backlog is %d, want %d", got, n)
	}
}
