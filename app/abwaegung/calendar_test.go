package abwaegung

import (
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
)

func day(s string) time.Time {
	d, err := time.ParseInLocation("2006-01-02", s, app.Berlin)
	if err != nil {
		panic(err)
	}
	return d
}

// TestSaxonHolidays2026To2030: every public holiday in Saxony from 2026 to
// 2030 (Easter-dependent days, Reformationstag, Buß- und Bettag) is no
// working day, and the days around them are.
func TestSaxonHolidays2026To2030(t *testing.T) {
	holidays := map[int][]string{
		// Neujahr, Karfreitag, Ostermontag, 1. Mai, Himmelfahrt, Pfingstmontag, 3. Oktober, Reformationstag, Buß- und Bettag, 25./26. Dezember
		2026: {"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01", "2026-05-14", "2026-05-25", "2026-10-03", "2026-10-31", "2026-11-18", "2026-12-25", "2026-12-26"},
		2027: {"2027-01-01", "2027-03-26", "2027-03-29", "2027-05-01", "2027-05-06", "2027-05-17", "2027-10-03", "2027-10-31", "2027-11-17", "2027-12-25", "2027-12-26"},
		2028: {"2028-01-01", "2028-04-14", "2028-04-17", "2028-05-01", "2028-05-25", "2028-06-05", "2028-10-03", "2028-10-31", "2028-11-22", "2028-12-25", "2028-12-26"},
		2029: {"2029-01-01", "2029-03-30", "2029-04-02", "2029-05-01", "2029-05-10", "2029-05-21", "2029-10-03", "2029-10-31", "2029-11-21", "2029-12-25", "2029-12-26"},
		2030: {"2030-01-01", "2030-04-19", "2030-04-22", "2030-05-01", "2030-05-30", "2030-06-10", "2030-10-03", "2030-10-31", "2030-11-20", "2030-12-25", "2030-12-26"},
	}
	for year, days := range holidays {
		seen := map[string]bool{}
		for _, d := range days {
			seen[d] = true
			if WorkingDay(day(d)) {
				t.Errorf("%s is a holiday in Saxony", d)
			}
		}
		// Every other weekday of the year is a working day: no holiday too many.
		for d := day(time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006-01-02")); d.Year() == year; d = d.AddDate(0, 0, 1) {
			weekday := d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
			if want := weekday && !seen[d.Format("2006-01-02")]; WorkingDay(d) != want {
				t.Errorf("%s (%s): working day %v, want %v", d.Format("2006-01-02"), d.Weekday(), WorkingDay(d), want)
			}
		}
	}
	// Fronleichnam is no holiday in Leipzig.
	if !WorkingDay(day("2026-06-04")) {
		t.Error("Fronleichnam 2026 counted as a holiday in Leipzig")
	}
}

// TestWorkingDaysBefore: reminders three and one working days before a
// deadline skip weekends and holidays.
func TestWorkingDaysBefore(t *testing.T) {
	for _, c := range []struct {
		deadline string
		n        int
		want     string
	}{
		{"2026-11-20", 1, "2026-11-19"}, // Friday: Thursday
		{"2026-11-20", 3, "2026-11-16"}, // Buß- und Bettag (18th) skipped
		{"2026-04-07", 1, "2026-04-02"}, // Tuesday after Easter: Ostermontag, weekend, Karfreitag skipped
		{"2026-04-07", 3, "2026-03-31"},
		{"2026-11-02", 1, "2026-10-30"}, // Monday: Friday before (31 Oct is a Saturday anyway)
		{"2027-11-02", 3, "2027-10-28"}, // Allerheiligen (1 Nov) is a working day in Saxony
		{"2030-01-02", 1, "2029-12-31"},
	} {
		if got := WorkingDaysBefore(day(c.deadline), c.n).Format("2006-01-02"); got != c.want {
			t.Errorf("%d working days before %s: %s, want %s", c.n, c.deadline, got, c.want)
		}
	}
}
