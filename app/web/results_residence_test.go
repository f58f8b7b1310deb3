package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/seed"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestReportRegistrationsByResidence: the report maps the registrations by
// the residence their registrants stated with consent; map, table and
// database agree, and counts of 1 and 2 are not given.
func TestReportRegistrationsByResidence(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	if err := seed.Demo(ctx, a.Store, seed.Options{}); err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		Code string
		N    int
	}
	if err := a.Store.Gorm().Table("event_registrations").Select("answer_ortsteil AS code, COUNT(*) AS n").
		Where("answers_consent = ? AND answer_ortsteil <> '' AND status IN ?", true, []string{app.RegConfirmed, app.RegOffered, app.RegWaitlisted, app.RegApplied}).
		Group("answer_ortsteil").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	for _, r := range rows {
		want[r.Code] = r.N
	}
	if len(want) == 0 {
		t.Fatal("the demo has no registrations with a stated residence")
	}
	res := a.SessionClient(t, a.CreateUser(t, "bericht@example.org", "Bericht", app.RoleAdmin)).Get("/admin/bericht")
	table := res.Doc.Find("table.residence-table tbody tr")
	if table.Length() != 63 {
		t.Fatalf("residence table has %d rows", table.Length())
	}
	table.Each(func(_ int, tr *goquery.Selection) {
		code := tr.AttrOr("data-ortsteil", "")
		cell := strings.TrimSpace(tr.Find("td.num").Text())
		n := want[code]
		switch {
		case n > 0 && n < app.SmallCount:
			if cell != "weniger als 3" {
				t.Errorf("Ortsteil %s with %d registrations shows %q", code, n, cell)
			}
		case cell != strconv.Itoa(n):
			t.Errorf("Ortsteil %s: table %q, database %d", code, cell, n)
		}
		area := res.Doc.Find(`#r-residence ~ figure svg.map a path[data-ortsteil="` + code + `"]`)
		label := area.Parent().AttrOr("aria-label", "")
		if n >= app.SmallCount && !strings.HasSuffix(label, ": "+strconv.Itoa(n)+" Anmeldungen") ||
			n > 0 && n < app.SmallCount && !strings.HasSuffix(label, "weniger als 3 Anmeldungen") {
			t.Errorf("Ortsteil %s with %d: area label %q", code, n, label)
		}
	})
}
