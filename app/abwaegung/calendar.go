package abwaegung

import (
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/de"

	"github.com/mitwirken/mitwirken/app"
)

// saxony is the calendar of public holidays in Saxony (Sachsen): the
// nationwide ones plus Reformationstag and Buß- und Bettag, with the
// Easter-dependent days computed per year. rickar/cal is the maintained Go
// holiday library whose German regional lists are kept current; Leipzig
// has no Fronleichnam (only some Sorbian communities do).
var saxony = func() *cal.BusinessCalendar {
	c := cal.NewBusinessCalendar()
	c.AddHoliday(de.HolidaysSN...)
	return c
}()

// WorkingDay reports whether day (a date in Europe/Berlin) is a working day
// in Leipzig: Monday to Friday and no public holiday in Saxony.
func WorkingDay(day time.Time) bool {
	d := time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, app.Berlin)
	return saxony.IsWorkday(d)
}

// WorkingDaysBefore returns the day n working days before day (n >= 1).
func WorkingDaysBefore(day time.Time, n int) time.Time {
	d := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, app.Berlin)
	for n > 0 {
		d = d.AddDate(0, 0, -1)
		if WorkingDay(d) {
			n--
		}
	}
	return d
}

// WorkingDaysAfter returns the day n working days after day.
func WorkingDaysAfter(day time.Time, n int) time.Time {
	d := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, app.Berlin)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if WorkingDay(d) {
			n--
		}
	}
	return d
}

// Today is the current day in Berlin as YYYY-MM-DD.
func Today(now time.Time) string { return now.In(app.Berlin).Format("2006-01-02") }
