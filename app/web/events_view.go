package web

import (
	"fmt"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/events"
)

// EventStatusShort is a registration's status for the organisers:
// "Warteliste, Platz 3", "Platz angeboten bis …", "Bestätigt".
func (v *View) EventStatusShort(r *app.Registration, position int) string {
	switch {
	case r.Status == app.RegWaitlisted:
		return v.T("events.short_waitlisted", "Position", position)
	case r.Status == app.RegOffered && r.OfferExpiresAt != nil:
		return v.T("events.short_offered", "Deadline", events.FormatTime(*r.OfferExpiresAt, v.Lang))
	}
	return v.T("events.status." + r.Status)
}

// EventStatus is the sentence that tells a person where they stand.
func (v *View) EventStatus(r *app.Registration, position int) string {
	switch r.Status {
	case app.RegWaitlisted:
		return v.T("events.state.waitlisted", "Position", position)
	case app.RegOffered:
		if r.OfferExpiresAt != nil {
			return v.T("events.state.offered", "Deadline", events.FormatTime(*r.OfferExpiresAt, v.Lang))
		}
	}
	return v.T("events.state." + r.Status)
}

// eventFacts is what the events_facts partial shows.
type eventFacts struct {
	V *View
	E eventItem
}

// EventFacts prepares the facts partial for an event item.
func (v *View) EventFacts(e eventItem) eventFacts { return eventFacts{V: v, E: e} }

// eventOwn is what the events_own_status partial shows.
type eventOwn struct {
	V *View
	E eventItem
	S *events.Status
}

// EventOwn prepares the own-status partial.
func (v *View) EventOwn(e eventItem, st *events.Status) eventOwn { return eventOwn{V: v, E: e, S: st} }

// EventOptions turns codes into select options labelled "events.<pattern>".
func (v *View) EventOptions(pattern string, codes []string) []Option {
	out := make([]Option, 0, len(codes))
	for _, c := range codes {
		out = append(out, Option{Value: c, Label: v.T("events." + fmt.Sprintf(pattern, c))})
	}
	return out
}

// EventBezirkName names a Stadtbezirk by its number ("9 Nord").
func (v *View) EventBezirkName(code string) string {
	if v.Ref != nil {
		if b, ok := v.Ref.Stadtbezirk(code); ok {
			return b.Code + " " + b.Name
		}
	}
	return code
}

// EventNeed is the label of an access need.
func (v *View) EventNeed(code string) string { return v.T(app.NeedLabelID(code)) }

// EventFormat is the name of an event format.
func (v *View) EventFormat(f app.EventFormat) string { return v.T(app.FormatLabelID(f)) }
