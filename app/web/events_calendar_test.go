package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

func parseICS(t *testing.T, body string) *ics.Calendar {
	t.Helper()
	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse .ics: %v\n%s", err, body)
	}
	for _, line := range strings.SplitAfter(body, "\r\n") {
		if line == "" {
			continue
		}
		if !strings.HasSuffix(line, "\r\n") {
			t.Fatalf("line without CRLF (RFC 5545 3.1): %q", line)
		}
		if len(line)-2 > 75 {
			t.Fatalf("line longer than 75 octets (RFC 5545 3.1): %q", line)
		}
	}
	return cal
}

// TestCalendars: every event has an .ics and /events.ics lists the public
// ones. Times are Europe/Berlin wall-clock times with a VTIMEZONE, correct on
// both sides of the switch to summer time; parsed back, they are the right
// instants.
func TestCalendars(t *testing.T) {
	clock := testenv.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	a := testenv.StartApp(t, testenv.WithoutSMTP(), testenv.WithClock(clock))
	winter := createEvent(t, a, func(in *app.EventInput) {
		in.Title = "Werkstattgespräch am Samstag vor der Umstellung"
		in.StartsAt, in.EndsAt = "2026-03-28T10:00", "2026-03-28T13:30"
	})
	summer := createEvent(t, a, func(in *app.EventInput) {
		in.Title = "Stadtgebietsforum am Tag der Umstellung; mit Semikolon, Komma und einem sehr langen Titel, der umbrochen werden muss"
		in.StartsAt, in.EndsAt = "2026-03-29T10:00", "2026-03-29T13:30"
		in.Format = string(app.FormatKickoff)
	})
	autumn := createEvent(t, a, func(in *app.EventInput) {
		in.Title = "Fachforum im Herbst"
		in.StartsAt, in.EndsAt = "2026-10-26T18:00", "2026-10-26T20:00"
	})
	createEvent(t, a, func(in *app.EventInput) { in.Title = "Entwurf, nicht öffentlich"; in.Status = app.EventDraft })
	c := a.Client(t)

	cases := []struct {
		ev         *app.Event
		start, end time.Time
	}{
		{winter, time.Date(2026, 3, 28, 9, 0, 0, 0, time.UTC), time.Date(2026, 3, 28, 12, 30, 0, 0, time.UTC)},
		{summer, time.Date(2026, 3, 29, 8, 0, 0, 0, time.UTC), time.Date(2026, 3, 29, 11, 30, 0, 0, time.UTC)},
		{autumn, time.Date(2026, 10, 26, 17, 0, 0, 0, time.UTC), time.Date(2026, 10, 26, 19, 0, 0, 0, time.UTC)},
	}
	for _, tc := range cases {
		res := c.Get(eventURL(tc.ev) + "/kalender.ics")
		mustStatus(t, res, http.StatusOK)
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") {
			t.Fatalf("content type %q", res.Header.Get("Content-Type"))
		}
		cal := parseICS(t, res.Body)
		if len(cal.Events()) != 1 || len(cal.Timezones()) != 1 {
			t.Fatalf("%d events, %d time zones", len(cal.Events()), len(cal.Timezones()))
		}
		e := cal.Events()[0]
		start, err := e.GetStartAt()
		if err != nil {
			t.Fatal(err)
		}
		end, _ := e.GetEndAt()
		if !start.Equal(tc.start) || !end.Equal(tc.end) {
			t.Errorf("%s: %v – %v, want %v – %v", tc.ev.Title, start.UTC(), end.UTC(), tc.start, tc.end)
		}
		if p := e.GetProperty(ics.ComponentPropertyDtStart); p.ICalParameters["TZID"][0] != "Europe/Berlin" {
			t.Errorf("DTSTART without TZID Europe/Berlin: %+v", p)
		}
		if got := e.GetProperty(ics.ComponentPropertySummary).Value; got != tc.ev.Title {
			t.Errorf("summary %q, want %q", got, tc.ev.Title)
		}
		if !strings.Contains(res.Body, "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU") || !strings.Contains(res.Body, "TZOFFSETTO:+0200") {
			t.Errorf("VTIMEZONE lacks the summer-time rule:\n%s", res.Body)
		}
	}

	// The feed lists the public events, not drafts; a cancelled event stays
	// with STATUS:CANCELLED and a raised SEQUENCE, so calendars update it.
	if err := a.Platform.Events.CancelEvent(context.Background(), eventAdmin(t, a), autumn.ID, "Der Saal ist nicht verfügbar."); err != nil {
		t.Fatal(err)
	}
	feed := c.Get("/events.ics")
	mustStatus(t, feed, http.StatusOK)
	cal := parseICS(t, feed.Body)
	titles := map[string]*ics.VEvent{}
	for _, e := range cal.Events() {
		titles[e.GetProperty(ics.ComponentPropertySummary).Value] = e
	}
	if len(titles) != 3 || titles["Entwurf, nicht öffentlich"] != nil {
		t.Fatalf("feed events: %v", titles)
	}
	cancelled := titles["Fachforum im Herbst"]
	if cancelled.GetProperty(ics.ComponentPropertyStatus).Value != "CANCELLED" || cancelled.GetProperty(ics.ComponentPropertySequence).Value != "1" {
		t.Fatalf("cancelled event in the feed: %s", feed.Body)
	}
	if titles[winter.Title].Id() == titles[summer.Title].Id() {
		t.Fatal("events share a UID")
	}
}

// TestEventTimesInForms: a wall-clock time skipped by the change to summer
// time is refused with a German message next to the field.
func TestEventTimesInForms(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	c := a.SessionClient(t, eventAdmin(t, a))
	page := c.Get("/admin/veranstaltungen/neu")
	mustStatus(t, page, http.StatusOK)
	res := c.Submit(page, "main form", formValues(map[string]string{
		"title": "Auftakt", "format": "auftaktveranstaltung", "venue": "Stadtbüro", "address": "Katharinenstraße 1",
		"starts_at": "2027-03-28T02:30", "ends_at": "2027-03-28T05:00", "capacity": "100",
	}))
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.FieldError("starts_at"), "Sommerzeit") {
		t.Fatalf("skipped time: %d %q", res.Status, res.FieldError("starts_at"))
	}
}
