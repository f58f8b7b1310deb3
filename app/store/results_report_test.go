package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// TestContributionsPerDayInBerlin counts by the day in Europe/Berlin, not
// the UTC day: 23:30 UTC on Sunday 29 November 2026 is already Monday in
// Berlin (CET, UTC+1) and so starts the next week of the report's chart.
func TestContributionsPerDayInBerlin(t *testing.T) {
	f := newContractFix(t)
	ctx := context.Background()
	at := []time.Time{
		time.Date(2026, 11, 29, 22, 30, 0, 0, time.UTC), // Sunday 23:30 in Berlin
		time.Date(2026, 11, 29, 23, 30, 0, 0, time.UTC), // Monday 00:30 in Berlin
		time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC),  // Monday 13:00 in Berlin
		time.Date(2026, 7, 1, 22, 15, 0, 0, time.UTC),   // Thursday 00:15 in Berlin (CEST, UTC+2)
	}
	for i, when := range at {
		c := &app.Contribution{Channel: app.ChannelOnline, AuthorID: &f.citizen.ID, ChapterID: &f.post.ID, Body: "Anregung " + itoa(int64(i)) + " für den Bericht.", Paragraph: "p-1"}
		if err := f.s.CreateContribution(ctx, c); err != nil || c.Status != app.StatusPublished {
			t.Fatalf("contribution %d: %v %+v", i, err, c)
		}
		if err := f.s.Gorm().Exec("UPDATE contributions SET created_at = ? WHERE id = ?", when, c.ID).Error; err != nil {
			t.Fatal(err)
		}
	}
	got, err := f.s.ContributionsPerDay(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Count{{Key: "2026-07-02", N: 1}, {Key: "2026-11-29", N: 1}, {Key: "2026-11-30", N: 2}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("per day %v, want %v", got, want)
	}
}
