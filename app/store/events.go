package store

import (
	"context"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/mitwirken/mitwirken/app"
)

// EventByID loads an event (drafts included; callers decide visibility).
func (s *Store) EventByID(ctx context.Context, id int64) (*app.Event, error) {
	var e app.Event
	if err := s.q(ctx).First(&e, id).Error; err != nil {
		return nil, s.err(err)
	}
	return &e, nil
}

// checkEventRefs checks what needs the database: known themes and Stadtgebiet.
func (s *Store) checkEventRefs(ctx context.Context, in *app.EventInput) (*int64, error) {
	var v app.Validator
	if len(in.Themes) > 0 {
		var n int64
		if err := s.q(ctx).Model(&app.Theme{}).Where("code IN ?", in.Themes).Count(&n).Error; err != nil {
			return nil, s.err(err)
		}
		if int(n) != len(in.Themes) {
			v.Add("themes", "form.choice_invalid")
		}
	}
	var gebiet *int64
	if in.StadtgebietID != "" {
		id, _ := strconv.ParseInt(in.StadtgebietID, 10, 64)
		var n int64
		if err := s.q(ctx).Model(&app.Stadtgebiet{}).Where("id = ?", id).Count(&n).Error; err != nil {
			return nil, s.err(err)
		}
		if n == 0 {
			v.Add("stadtgebiet_id", "form.choice_invalid")
		}
		gebiet = &id
	}
	return gebiet, v.Err()
}

// CreateEvent stores a new event from validated input and writes the audit entry.
func (s *Store) CreateEvent(ctx context.Context, actor *app.User, in *app.EventInput) (*app.Event, error) {
	var e *app.Event
	err := s.Tx(ctx, func(tx *Store) error {
		gebiet, err := tx.checkEventRefs(ctx, in)
		if err != nil {
			return err
		}
		now := tx.Now()
		e = &app.Event{Status: in.Status, CreatedAt: now, UpdatedAt: now}
		applyEventInput(e, in, gebiet)
		if actor != nil {
			id := actor.ID
			e.CreatedBy = &id
		}
		if err := tx.q(ctx).Create(e).Error; err != nil {
			return tx.err(err)
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditEventCreate, ObjectType: "event", ObjectID: itoa(e.ID),
			Details: map[string]any{"format": e.Format, "allocation": e.Allocation, "capacity": e.Capacity}})
	})
	return e, err
}

func applyEventInput(e *app.Event, in *app.EventInput, gebiet *int64) {
	e.Title, e.Format, e.Description, e.Themes = in.Title, app.EventFormat(in.Format), in.Description, in.ThemesColumn()
	e.Venue, e.Address, e.VenueAccess, e.StepFree, e.StadtgebietID = in.Venue, in.Address, in.VenueAccess, in.StepFree, gebiet
	e.VenueLat, e.VenueLon = in.VenueLat, in.VenueLon
	e.StartsAt, e.EndsAt, e.RegistrationOpensAt, e.RegistrationClosesAt = in.Starts, in.Ends, in.Opens, in.Closes
	e.Allocation, e.Capacity, e.PublicSeats = app.Allocation(in.Allocation), in.Capacity.Value, in.PublicSeats()
	e.AutoPromote, e.OfferHours, e.ConfirmHours = in.AutoPromote, in.OfferHours.Value, in.ConfirmHours.Value
	e.ReminderHours, e.RetentionDays = in.ReminderHours.Value, in.RetentionDays.Value
}

// EventChange tells the caller what an update changed, so that participants
// can be told.
type EventChange struct {
	Before, After *app.Event
	// TimeOrPlace is true when start, end, venue or address changed.
	TimeOrPlace bool
	// Filled are waiters who got a seat because the capacity grew.
	Filled []*app.Registration
}

// UpdateEvent changes an event under the event's exclusive lock. The
// capacity cannot drop below the seats held; the allocation cannot change once
// people registered; new seats go to the waiting list at once.
func (s *Store) UpdateEvent(ctx context.Context, actor *app.User, id int64, in *app.EventInput) (*EventChange, error) {
	var ch EventChange
	err := s.Tx(ctx, func(tx *Store) error {
		if err := tx.LockEvent(ctx, id); err != nil {
			return err
		}
		before, err := tx.EventByID(ctx, id)
		if err != nil {
			return err
		}
		if before.Cancelled() {
			return app.Errorf(app.CodeConflict, "events.already_cancelled")
		}
		gebiet, err := tx.checkEventRefs(ctx, in)
		if err != nil {
			return err
		}
		var regCount int64
		if err := tx.q(ctx).Model(&app.Registration{}).Where("event_id = ?", id).Count(&regCount).Error; err != nil {
			return tx.err(err)
		}
		var v app.Validator
		if regCount > 0 && string(before.Allocation) != in.Allocation {
			v.Add("allocation", "events.allocation_locked")
		}
		if in.Capacity.Value < before.SeatsTaken {
			v.Add("capacity", "events.capacity_below_taken", "Count", before.SeatsTaken)
		}
		if in.PublicSeats() < before.PublicTaken {
			v.Add("open_seats", "events.capacity_below_taken", "Count", before.PublicTaken)
		}
		if before.DrawStatus != "" && (!in.Closes.Equal(before.RegistrationClosesAt) || !in.Opens.Equal(before.RegistrationOpensAt)) {
			v.Add("registration_closes_at", "events.window_locked_after_draw")
		}
		if before.DrawStatus != "" && in.Capacity.Value != before.Capacity {
			v.Add("capacity", "events.capacity_locked_after_draw")
		}
		if regCount > 0 && in.Status == app.EventDraft && before.Status == app.EventPublished {
			v.Add("status", "events.unpublish_locked")
		}
		if err := v.Err(); err != nil {
			return err
		}
		after := *before
		applyEventInput(&after, in, gebiet)
		after.Status = in.Status
		after.UpdatedAt = tx.Now()
		ch.TimeOrPlace = !after.StartsAt.Equal(before.StartsAt) || !after.EndsAt.Equal(before.EndsAt) ||
			after.Venue != before.Venue || after.Address != before.Address
		if ch.TimeOrPlace {
			after.Sequence++
		}
		fields := map[string]any{
			"title": after.Title, "format": after.Format, "description": after.Description, "themes": after.Themes,
			"venue": after.Venue, "address": after.Address, "venue_access": after.VenueAccess, "step_free": after.StepFree,
			"venue_lat": after.VenueLat, "venue_lon": after.VenueLon,
			"stadtgebiet_id": after.StadtgebietID, "starts_at": after.StartsAt, "ends_at": after.EndsAt,
			"registration_opens_at": after.RegistrationOpensAt, "registration_closes_at": after.RegistrationClosesAt,
			"allocation": after.Allocation, "capacity": after.Capacity, "public_seats": after.PublicSeats,
			"auto_promote": after.AutoPromote, "offer_hours": after.OfferHours, "confirm_hours": after.ConfirmHours,
			"reminder_hours": after.ReminderHours, "retention_days": after.RetentionDays, "status": after.Status,
			"sequence": after.Sequence, "updated_at": after.UpdatedAt,
		}
		if after.StartsAt.After(before.StartsAt) && after.ReminderSentAt != nil {
			after.ReminderSentAt = nil // remind again before the new date
			fields["reminder_sent_at"] = nil
		}
		if err := tx.err(tx.q(ctx).Model(&app.Event{}).Where("id = ?", id).Updates(fields).Error); err != nil {
			return err
		}
		ch.Before, ch.After = before, &after
		if ch.Filled, err = tx.FillSeats(ctx, &after, actor); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditEventUpdate, ObjectType: "event", ObjectID: itoa(id),
			Details: map[string]any{"capacity": after.Capacity, "status": after.Status, "time_or_place": ch.TimeOrPlace}})
	})
	return &ch, err
}

// CancelEvent calls an event off. It returns the event and everybody who
// still takes part or waits, to be told.
func (s *Store) CancelEvent(ctx context.Context, actor *app.User, id int64, reason string) (*app.Event, []*app.Registration, error) {
	var e *app.Event
	var regs []*app.Registration
	err := s.Tx(ctx, func(tx *Store) error {
		if err := tx.LockEvent(ctx, id); err != nil {
			return err
		}
		var err error
		if e, err = tx.EventByID(ctx, id); err != nil {
			return err
		}
		if e.Cancelled() {
			return app.Errorf(app.CodeConflict, "events.already_cancelled")
		}
		now := tx.Now()
		e.Status, e.CancelReason, e.CancelledAt = app.EventCancelled, reason, &now
		if err := tx.err(tx.q(ctx).Model(&app.Event{}).Where("id = ?", id).Updates(map[string]any{
			"status": e.Status, "cancel_reason": reason, "cancelled_at": now, "updated_at": now, "sequence": gorm.Expr("sequence + 1"),
		}).Error); err != nil {
			return err
		}
		e.Sequence++
		if regs, err = tx.ActiveRegistrations(ctx, id); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditEventCancel, ObjectType: "event", ObjectID: itoa(id),
			Details: map[string]any{"notified": len(regs)}})
	})
	return e, regs, err
}

// EventFilter narrows lists of events.
type EventFilter struct {
	Format        string
	StadtgebietID int64
	Theme         string
	// Past lists events that have ended, newest first; otherwise upcoming
	// (and running) events, soonest first.
	Past bool
	// All lists drafts and every date (admin list).
	All     bool
	Page    int
	PerPage int
}

// ListEvents returns a page of events and the total.
func (s *Store) ListEvents(ctx context.Context, f EventFilter) ([]*app.Event, int64, error) {
	q := s.q(ctx).Model(&app.Event{})
	now := s.Now()
	switch {
	case f.All:
	case f.Past:
		q = q.Where("status IN ? AND ends_at <= ?", []string{app.EventPublished, app.EventCancelled}, now)
	default:
		q = q.Where("status IN ? AND ends_at > ?", []string{app.EventPublished, app.EventCancelled}, now)
	}
	if f.Format != "" {
		q = q.Where("format = ?", f.Format)
	}
	if f.StadtgebietID != 0 {
		q = q.Where("stadtgebiet_id = ?", f.StadtgebietID)
	}
	if f.Theme != "" {
		q = q.Where("themes LIKE ? ESCAPE '\\'", "%,"+escapeLike(f.Theme)+",%")
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, s.err(err)
	}
	order := "starts_at, id"
	if f.Past || f.All {
		order = "starts_at DESC, id DESC"
	}
	var out []*app.Event
	err := paginate(q.Order(order), f.Page, f.PerPage).Find(&out).Error
	return out, total, s.err(err)
}

// PublicEvents lists every published event for the calendar feed: from 30
// days ago on, at most 500.
func (s *Store) PublicEvents(ctx context.Context) ([]*app.Event, error) {
	var out []*app.Event
	err := s.q(ctx).Where("status IN ? AND ends_at > ?", []string{app.EventPublished, app.EventCancelled}, s.Now().Add(-30*24*time.Hour)).
		Order("starts_at, id").Limit(500).Find(&out).Error
	return out, s.err(err)
}

// EventCounts are the registrations of an event by status.
type EventCounts struct {
	Confirmed, Offered, Waitlisted, Applied, Cancelled, Declined, Expired int
	CheckedIn, Delegates                                                  int
}

// Active is everybody who takes part or waits.
func (c EventCounts) Active() int { return c.Confirmed + c.Offered + c.Waitlisted + c.Applied }

// NoShows are confirmed people who did not come (meaningful after the event).
func (c EventCounts) NoShows() int { return c.Confirmed - c.CheckedIn }

// CountRegistrations counts the registrations of several events at once.
func (s *Store) CountRegistrations(ctx context.Context, ids []int64) (map[int64]EventCounts, error) {
	out := make(map[int64]EventCounts, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		EventID   int64
		Status    string
		Kind      string
		N         int
		CheckedIn int
	}
	err := s.q(ctx).Model(&app.Registration{}).
		Select("event_id, status, kind, COUNT(*) AS n, COUNT(checked_in_at) AS checked_in").
		Where("event_id IN ?", ids).Group("event_id, status, kind").Scan(&rows).Error
	if err != nil {
		return nil, s.err(err)
	}
	for _, r := range rows {
		c := out[r.EventID]
		switch r.Status {
		case app.RegConfirmed:
			c.Confirmed += r.N
			c.CheckedIn += r.CheckedIn
			if r.Kind == app.KindDelegate {
				c.Delegates += r.N
			}
		case app.RegOffered:
			c.Offered += r.N
		case app.RegWaitlisted:
			c.Waitlisted += r.N
		case app.RegApplied:
			c.Applied += r.N
		case app.RegCancelled:
			c.Cancelled += r.N
		case app.RegDeclined:
			c.Declined += r.N
		case app.RegExpired:
			c.Expired += r.N
		}
		out[r.EventID] = c
	}
	return out, nil
}

// EventLog lists an event's seat log, oldest first.
func (s *Store) EventLog(ctx context.Context, eventID int64, limit int) ([]app.EventLogEntry, error) {
	var out []app.EventLogEntry
	err := s.q(ctx).Where("event_id = ?", eventID).Order("id DESC").Limit(limit).Find(&out).Error
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, s.err(err)
}

// CountEventLog counts log entries of one action.
func (s *Store) CountEventLog(ctx context.Context, eventID int64, action string) (int64, error) {
	var n int64
	err := s.q(ctx).Model(&app.EventLogEntry{}).Where("event_id = ? AND action = ?", eventID, action).Count(&n).Error
	return n, s.err(err)
}

func (s *Store) logEvent(ctx context.Context, eventID int64, regID *int64, action string, actor *app.User, details string) error {
	e := app.EventLogEntry{EventID: eventID, RegistrationID: regID, Action: action, At: s.Now(), Details: details}
	if actor != nil {
		id := actor.ID
		e.ActorID = &id
	}
	return s.err(s.q(ctx).Create(&e).Error)
}
