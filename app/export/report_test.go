package export_test

import (
	"context"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/export"
	"github.com/mitwirken/mitwirken/app/store"
)

// TestSuppressSmallCells: cells under 5 people are hidden; a single hidden
// cell takes the smallest other cell with it, so a total cannot reveal it.
func TestSuppressSmallCells(t *testing.T) {
	cells := export.Suppress([]store.Count{{Key: "a", N: 12}, {Key: "b", N: 3}, {Key: "c", N: 7}, {Key: "d", N: 20}}, 5)
	want := map[string]bool{"a": false, "b": true, "c": true, "d": false}
	for _, c := range cells {
		if c.Hidden != want[c.Key] {
			t.Errorf("%s hidden=%v, want %v", c.Key, c.Hidden, want[c.Key])
		}
		if c.Hidden && c.N != 0 {
			t.Errorf("%s keeps its number %d", c.Key, c.N)
		}
	}
	cells = export.Suppress([]store.Count{{Key: "a", N: 1}, {Key: "b", N: 4}, {Key: "c", N: 5}}, 5)
	if !cells[0].Hidden || !cells[1].Hidden || cells[2].Hidden || cells[2].N != 5 {
		t.Errorf("two small cells: %+v", cells)
	}
	cells = export.Suppress([]store.Count{{Key: "a", N: 5}, {Key: "b", N: 9}}, 5)
	if cells[0].Hidden || cells[1].Hidden {
		t.Errorf("cells of 5 and more must show: %+v", cells)
	}
}

// TestReportDemographicsAreKAnonymous: registrations with answers; the
// report shows only cells with at least five people.
func TestReportDemographicsAreKAnonymous(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	var ev app.Event
	if err := f.s.Gorm().Where("status = ?", app.EventPublished).First(&ev).Error; err != nil {
		t.Fatal(err)
	}
	// 6 × 30–44, 2 × 65+; 6 × female, 2 × diverse (registrations inserted
	// directly: the registration flow is tested with the events).
	add := func(i int, age, gender string) {
		u := struct{ ID int64 }{}
		email := "demografie-" + string(rune('a'+i)) + "@example.org"
		usr, err := f.s.UserByEmail(ctx, email)
		if err != nil {
			now := f.s.Now()
			usr = &app.User{Email: &email, EmailVerifiedAt: &now, DisplayName: "Person " + string(rune('A'+i)), Role: app.RoleCitizen, Locale: "de", PrivacyConsentAt: &now, PrivacyVersion: app.PrivacyVersion}
			if err := f.s.CreateUser(ctx, usr); err != nil {
				t.Fatal(err)
			}
		}
		u.ID = usr.ID
		err = f.s.Gorm().Exec(`INSERT INTO event_registrations (event_id, user_id, kind, status, answer_age, answer_gender, link_nonce, created_at, updated_at)
			VALUES (?, ?, 'public', 'confirmed', ?, ?, ?, ?, ?)`, ev.ID, u.ID, age, gender, "n"+email, f.s.Now(), f.s.Now()).Error
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 6; i++ {
		add(i, "30_44", "female")
	}
	add(6, "65_plus", "diverse")
	add(7, "65_plus", "diverse")
	r, err := export.BuildReport(ctx, f.s, f.svc.T, "de")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range append(append([]export.Cell{}, r.Age...), r.Gender...) {
		if !c.Hidden && c.N > 0 && c.N < export.MinCell {
			t.Errorf("cell %s shows %d people", c.Key, c.N)
		}
	}
	for _, c := range r.Age {
		if c.Key == "30_44" && (c.Hidden || c.N != 6) {
			t.Errorf("30–44: %+v", c)
		}
		if c.Key == "65_plus" && !c.Hidden {
			t.Errorf("65+ with 2 people is shown: %+v", c)
		}
	}
	for _, id := range []string{"chart-chapters", "chart-zielfelder", "chart-hs", "chart-bezirke", "chart-time", "chart-assessment", "chart-seats"} {
		c := r.Chart(id)
		if c == nil || len(c.Bars) == 0 || c.Wide.Height <= 0 || c.Narrow.Height <= 0 {
			t.Errorf("chart %s: %+v", id, c)
		}
	}
	if r.Contributions < 120 || r.Published == 0 {
		t.Errorf("totals: %+v", r)
	}
}
