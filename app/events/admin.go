package events

import (
	"context"
	"fmt"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/notify"
	"github.com/mitwirken/mitwirken/app/store"
)

// Create validates and stores a new event.
func (s *Service) Create(ctx context.Context, actor *app.User, in app.EventInput) (*app.Event, error) {
	in.Clean()
	if err := in.Validate(s.Store.Now()); err != nil {
		return nil, err
	}
	if err := s.checkVenuePoint(&in); err != nil {
		return nil, err
	}
	var ev *app.Event
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		var err error
		if ev, err = tx.CreateEvent(ctx, actor, &in); err != nil {
			return err
		}
		return s.tellFormatFollowers(ctx, tx, ev, actor)
	})
	if err != nil {
		return nil, err
	}
	s.wake()
	return ev, nil
}

// tellFormatFollowers notifies who follows the event's format of a newly
// published date. Only a published event is ever announced: drafts stay
// unannounced until they are published.
func (s *Service) tellFormatFollowers(ctx context.Context, tx *store.Store, ev *app.Event, actor *app.User) error {
	if s.Notify == nil || ev.Status != app.EventPublished {
		return nil
	}
	e := notify.Event{Kind: app.NotifyNewDate, SubjectKind: app.FollowEvent, SubjectID: ev.ID, Title: ev.Title,
		URL: fmt.Sprintf("/veranstaltungen/%d", ev.ID), Targets: []app.Follow{notify.Target(app.FollowFormat, app.FormatFollowID(ev.Format))}}
	if actor != nil {
		e.Actor = &actor.ID
	}
	_, err := s.Notify.Publish(ctx, tx, e)
	return err
}

// Update changes an event. When time or place change, everybody who takes
// part or waits gets a mail with the new details and calendar entry; seats
// added to the capacity go to the waiting list at once.
func (s *Service) Update(ctx context.Context, actor *app.User, id int64, in app.EventInput) (*app.Event, error) {
	in.Clean()
	if err := in.Validate(s.Store.Now()); err != nil {
		return nil, err
	}
	if err := s.checkVenuePoint(&in); err != nil {
		return nil, err
	}
	var after *app.Event
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		ch, err := tx.UpdateEvent(ctx, actor, id, &in)
		if err != nil {
			return err
		}
		after = ch.After
		if err := s.notifyFilled(ctx, tx, ch.After, ch.Filled); err != nil {
			return err
		}
		if ch.Before.Status != app.EventPublished && ch.Before.Status != app.EventCancelled {
			if err := s.tellFormatFollowers(ctx, tx, ch.After, actor); err != nil {
				return err
			}
		}
		if !ch.TimeOrPlace || ch.After.Status != app.EventPublished {
			return nil
		}
		regs, err := tx.ActiveRegistrations(ctx, id)
		if err != nil {
			return err
		}
		if err := s.tellAll(ctx, tx, ch.After, regs, "event_changed", nil, true); err != nil {
			return err
		}
		return s.tellFollowers(ctx, tx, app.NotifyEventChanged, ch.After, actor, regs)
	})
	if err == nil {
		s.wake()
	}
	return after, err
}

// CancelEvent calls an event off and tells everybody who takes part or waits.
func (s *Service) CancelEvent(ctx context.Context, actor *app.User, id int64, reason string) error {
	reason = app.CleanText(reason)
	var v app.Validator
	v.Text("reason", reason, true, app.MaxCancelReason)
	if err := v.Err(); err != nil {
		return err
	}
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		ev, regs, err := tx.CancelEvent(ctx, actor, id, reason)
		if err != nil {
			return err
		}
		if err := s.tellAll(ctx, tx, ev, regs, "event_cancelled", map[string]any{"Reason": reason}, true); err != nil {
			return err
		}
		return s.tellFollowers(ctx, tx, app.NotifyEventCancelled, ev, actor, regs)
	})
	if err == nil {
		s.wake()
	}
	return err
}

// Message sends the organisers' message to the participants (confirmed and
// offered) or to everybody registered, including the waiting list.
func (s *Service) Message(ctx context.Context, actor *app.User, id int64, in app.MessageInput) (int, error) {
	in.Clean()
	if err := in.Validate(); err != nil {
		return 0, err
	}
	var sent int
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.LockEvent(ctx, id); err != nil {
			return err
		}
		ev, err := tx.EventByID(ctx, id)
		if err != nil {
			return err
		}
		statuses := []string{app.RegConfirmed, app.RegOffered}
		if in.Recipients == app.RecipientsAll {
			statuses = append(statuses, app.RegWaitlisted, app.RegApplied)
		}
		regs, err := tx.RegistrationsWithStatus(ctx, id, statuses...)
		if err != nil {
			return err
		}
		if len(regs) == 0 {
			return app.FieldInvalid("recipients", "events.no_recipients")
		}
		if err := s.tellAll(ctx, tx, ev, regs, "event_message", map[string]any{"Subject": in.Subject, "Body": in.Body}, false); err != nil {
			return err
		}
		sent = len(regs)
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditEventMessage, ObjectType: "event", ObjectID: itoa(id),
			Details: map[string]any{"recipients": in.Recipients, "count": sent}})
	})
	if err == nil {
		s.wake()
	}
	return sent, err
}

// tellAll queues one mail kind to every registration, with their links and,
// when calendar is set, the event's calendar entry.
func (s *Service) tellAll(ctx context.Context, tx *store.Store, ev *app.Event, regs []*app.Registration, kind string, extra map[string]any, calendar bool) error {
	rcs, err := s.recipients(ctx, tx, regs)
	if err != nil {
		return err
	}
	var ics *app.MailAttachment
	if calendar {
		a := s.calendarAttachment(ev)
		ics = &a
	}
	for _, r := range regs {
		rc, ok := rcs[r.ID]
		if !ok {
			continue
		}
		d := s.registrationData(ev, r, rc)
		d["Status"] = r.Status
		for k, v := range extra {
			d[k] = v
		}
		var att []app.MailAttachment
		if ics != nil {
			att = append(att, *ics) // a copy per mail: the store gives each row its own id
		}
		if err := s.Mail.Queue(ctx, tx, kind, rc.to, d, att...); err != nil {
			return err
		}
	}
	return nil
}

// tellFollowers notifies the followers of an event (issue 15); those who
// take part or wait got the mail of tellAll already and are only listed.
func (s *Service) tellFollowers(ctx context.Context, tx *store.Store, kind string, ev *app.Event, actor *app.User, regs []*app.Registration) error {
	if s.Notify == nil {
		return nil
	}
	mailed := map[int64]bool{}
	if s.Mail != nil {
		for _, r := range regs {
			if r.UserID != nil {
				mailed[*r.UserID] = true
			}
		}
	}
	e := notify.Event{Kind: kind, SubjectKind: app.FollowEvent, SubjectID: ev.ID, Title: ev.Title,
		URL: fmt.Sprintf("/veranstaltungen/%d", ev.ID), Targets: []app.Follow{notify.Target(app.FollowEvent, ev.ID)}, Mailed: mailed}
	if actor != nil {
		e.Actor = &actor.ID
	}
	_, err := s.Notify.Publish(ctx, tx, e)
	return err
}

// checkVenuePoint refuses a venue point outside the city's boundaries.
func (s *Service) checkVenuePoint(in *app.EventInput) error {
	if in.VenueLat == nil || in.VenueLon == nil {
		return nil
	}
	if s.Locate == nil {
		return app.FieldInvalid("venue_lat", "contribution.point_outside")
	}
	if _, _, ok := s.Locate(*in.VenueLon, *in.VenueLat); !ok {
		return app.FieldInvalid("venue_lat", "contribution.point_outside")
	}
	return nil
}
