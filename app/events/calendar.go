package events

import (
	"fmt"
	"net/url"
	"strings"

	ics "github.com/arran4/golang-ical"

	"github.com/mitwirken/mitwirken/app"
)

// berlinTZID names the time zone of every calendar entry.
const berlinTZID = "Europe/Berlin"

const icsLocalLayout = "20060102T150405"

// Calendar writes events as an RFC 5545 calendar: times in Europe/Berlin with
// a VTIMEZONE that carries the EU daylight-saving rules (last Sunday of March
// and of October), so calendar programs show the right wall-clock time in
// summer and winter. Cancelled events carry STATUS:CANCELLED and a raised
// SEQUENCE so that calendars update the entry.
func (s *Service) Calendar(name string, events []*app.Event) []byte {
	cal := ics.NewCalendarFor(s.SiteName)
	cal.SetMethod(ics.MethodPublish)
	cal.SetName(name)
	cal.SetXWRCalName(name)
	cal.SetXWRTimezone(berlinTZID)
	cal.SetCalscale("GREGORIAN")
	cal.AddVTimezone(berlinTimezone())
	now := s.Store.Now()
	host := "mitwirken"
	if u, err := url.Parse(s.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	for _, ev := range events {
		e := cal.AddEvent(fmt.Sprintf("event-%d@%s", ev.ID, host))
		e.SetDtStampTime(now)
		e.SetModifiedAt(ev.UpdatedAt)
		e.SetSequence(ev.Sequence)
		e.SetProperty(ics.ComponentPropertyDtStart, ev.StartsAt.In(app.Berlin).Format(icsLocalLayout), ics.WithTZID(berlinTZID))
		e.SetProperty(ics.ComponentPropertyDtEnd, ev.EndsAt.In(app.Berlin).Format(icsLocalLayout), ics.WithTZID(berlinTZID))
		e.SetSummary(ev.Title)
		e.SetLocation(strings.TrimSpace(ev.Venue + ", " + ev.Address))
		link := fmt.Sprintf("%s/veranstaltungen/%d", s.BaseURL, ev.ID)
		e.SetURL(link)
		desc := ev.Description
		if ev.VenueAccess != "" {
			desc += "\n\nBarrierefreiheit: " + ev.VenueAccess
		}
		e.SetDescription(strings.TrimSpace(desc + "\n\n" + link))
		if ev.Cancelled() {
			e.SetStatus(ics.ObjectStatusCancelled)
		} else {
			e.SetStatus(ics.ObjectStatusConfirmed)
		}
	}
	return []byte(cal.Serialize(ics.WithNewLineWindows))
}

// berlinTimezone is the VTIMEZONE of Europe/Berlin since 1996 (EU rules).
func berlinTimezone() *ics.VTimezone {
	tz := ics.NewTimezone(berlinTZID)
	tz.SetProperty(ics.ComponentProperty("X-LIC-LOCATION"), berlinTZID)
	summer, winter := &ics.Daylight{}, &ics.Standard{}
	tzRule(&summer.ComponentBase, "+0100", "+0200", "CEST", "19700329T020000", 3)
	tzRule(&winter.ComponentBase, "+0200", "+0100", "CET", "19701025T030000", 10)
	tz.Components = append(tz.Components, summer, winter)
	return tz
}

// tzRule fills a DAYLIGHT or STANDARD part: the offsets and the switch on
// the last Sunday of the month.
func tzRule(c *ics.ComponentBase, from, to, name, start string, month int) {
	c.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), from)
	c.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), to)
	c.SetProperty(ics.ComponentProperty(ics.PropertyTzname), name)
	c.SetProperty(ics.ComponentPropertyDtStart, start)
	c.AddRrule(fmt.Sprintf("FREQ=YEARLY;BYMONTH=%d;BYDAY=-1SU", month))
}

// EventCalendar is the .ics of one event.
func (s *Service) EventCalendar(ev *app.Event) []byte { return s.Calendar(ev.Title, []*app.Event{ev}) }

func (s *Service) calendarAttachment(ev *app.Event) app.MailAttachment {
	return app.MailAttachment{Filename: fmt.Sprintf("veranstaltung-%d.ics", ev.ID), ContentType: "text/calendar; charset=utf-8; method=PUBLISH",
		Data: s.EventCalendar(ev)}
}

// confirmationAttachments go with every confirmation: the calendar entry
// and the QR code for the door.
func (s *Service) confirmationAttachments(ev *app.Event, r *app.Registration) ([]app.MailAttachment, error) {
	png, err := QRPNG(s.CheckinURL(ev, r), 6)
	if err != nil {
		return nil, app.Internal(err)
	}
	return []app.MailAttachment{
		s.calendarAttachment(ev),
		{Filename: "einlass-qr-code.png", ContentType: "image/png", Data: png},
	}, nil
}
