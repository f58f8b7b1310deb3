package store

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/mitwirken/mitwirken/app"
)

// DrawOf loads the draw record of an event.
func (s *Store) DrawOf(ctx context.Context, eventID int64) (*app.EventDraw, error) {
	var d app.EventDraw
	if err := s.q(ctx).Where("event_id = ?", eventID).First(&d).Error; err != nil {
		return nil, s.err(err)
	}
	return &d, nil
}

// CountApplicants counts an event's current applicants.
func (s *Store) CountApplicants(ctx context.Context, eventID int64) (int, error) {
	var n int64
	err := s.q(ctx).Model(&app.Registration{}).Where("event_id = ? AND status = ?", eventID, app.RegApplied).Count(&n).Error
	return int(n), s.err(err)
}

// Applicants returns the pseudonyms of an event's current applicants, sorted.
func (s *Store) Applicants(ctx context.Context, eventID int64) ([]string, error) {
	var ids []string
	err := s.q(ctx).Model(&app.Registration{}).Where("event_id = ? AND status = ?", eventID, app.RegApplied).
		Order("pseudonym").Pluck("pseudonym", &ids).Error
	return ids, s.err(err)
}

// AnnounceDraw freezes the pool and publishes the draw record before the
// seed is known. Applications close now if the window is still open. The
// pool the record was computed from must still be the applicants.
func (s *Store) AnnounceDraw(ctx context.Context, actor *app.User, d *app.EventDraw, pool []string) error {
	return s.Tx(ctx, func(tx *Store) error {
		ev, err := tx.lockEventBeforeDraw(ctx, d.EventID)
		if err != nil {
			return err
		}
		now := tx.Now()
		current, err := tx.Applicants(ctx, d.EventID)
		if err != nil {
			return err
		}
		sorted := append([]string(nil), pool...)
		sort.Strings(sorted)
		if !slices.Equal(current, sorted) {
			return app.Errorf(app.CodeConflict, "events.pool_changed")
		}
		fields := map[string]any{"draw_status": app.DrawAnnounced, "updated_at": now}
		if ev.RegistrationClosesAt.After(now) {
			fields["registration_closes_at"] = now
		}
		if err := tx.err(tx.q(ctx).Model(&app.Event{}).Where("id = ?", d.EventID).Updates(fields).Error); err != nil {
			return err
		}
		d.AnnouncedAt = now
		if actor != nil {
			id := actor.ID
			d.AnnouncedBy = &id
		}
		if err := tx.err(tx.q(ctx).Create(d).Error); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditEventAnnounce, ObjectType: "event", ObjectID: itoa(d.EventID),
			Details: map[string]any{"pool_size": d.PoolSize, "seats": d.Seats, "pool_hash": d.PoolHash}})
	})
}

func drawable(ev *app.Event, want string) error {
	switch {
	case ev.Allocation != app.AllocSelection:
		return app.Errorf(app.CodeConflict, "events.draw_not_selection")
	case ev.Status != app.EventPublished:
		return app.Errorf(app.CodeConflict, "events.draw_not_published")
	case ev.DrawStatus == app.DrawDone:
		return app.Errorf(app.CodeConflict, "events.draw_already_done")
	case ev.DrawStatus != want && want == "":
		return app.Errorf(app.CodeConflict, "events.draw_already_announced")
	case ev.DrawStatus != want:
		return app.Errorf(app.CodeConflict, "events.draw_not_announced")
	}
	return nil
}

// DrawResult is who got what from a draw.
type DrawResult struct {
	Event    *app.Event
	Selected []*app.Registration
	// Waiting are the applicants now on the waiting list, in order.
	Waiting []*app.Registration
	// Filled got a seat because a selected applicant had withdrawn.
	Filled []*app.Registration
}

// ApplyDraw records the seed and applies the result: the selected applicants
// get an offer to confirm by confirmBy, the others a place on the waiting
// list in the order of the draw. Seats of selected applicants who withdrew
// meanwhile go down the waiting list at once.
func (s *Store) ApplyDraw(ctx context.Context, actor *app.User, d *app.EventDraw, selected, waiting []string) (*DrawResult, error) {
	res := &DrawResult{}
	err := s.Tx(ctx, func(tx *Store) error {
		if err := tx.LockEvent(ctx, d.EventID); err != nil {
			return err
		}
		ev, err := tx.EventByID(ctx, d.EventID)
		if err != nil {
			return err
		}
		if err := drawable(ev, app.DrawAnnounced); err != nil {
			return err
		}
		res.Event = ev
		now := tx.Now()
		confirmBy := *d.ConfirmBy
		var regs []*app.Registration
		if err := tx.q(ctx).Where("event_id = ? AND status = ?", d.EventID, app.RegApplied).Find(&regs).Error; err != nil {
			return tx.err(err)
		}
		byPseudonym := map[string]*app.Registration{}
		for _, r := range regs {
			byPseudonym[r.Pseudonym] = r
		}
		for _, id := range selected {
			r := byPseudonym[id]
			if r == nil {
				continue // withdrew after the pool was frozen
			}
			ok, err := tx.takeSeat(ctx, ev, app.KindPublic)
			if err != nil {
				return err
			}
			if !ok {
				return app.Internal(errSeatAccounting)
			}
			r.OfferedAt, r.OfferExpiresAt = &now, &confirmBy
			if _, err := tx.transition(ctx, r, []string{app.RegApplied}, app.RegOffered,
				map[string]any{"offered_at": now, "offer_expires_at": confirmBy}); err != nil {
				return err
			}
			if err := tx.logEvent(ctx, ev.ID, &r.ID, app.LogSelected, actor, confirmBy.Format(time.RFC3339)); err != nil {
				return err
			}
			res.Selected = append(res.Selected, r)
		}
		for i, id := range waiting {
			r := byPseudonym[id]
			if r == nil {
				continue
			}
			r.WaitSeq = int64(i + 1)
			if _, err := tx.transition(ctx, r, []string{app.RegApplied}, app.RegWaitlisted, map[string]any{"wait_seq": r.WaitSeq}); err != nil {
				return err
			}
			res.Waiting = append(res.Waiting, r)
		}
		if len(res.Waiting) > 0 {
			if err := tx.bumpWaiting(ctx, ev.ID, len(res.Waiting)); err != nil {
				return err
			}
		}
		ev.DrawStatus = app.DrawDone
		if err := tx.err(tx.q(ctx).Model(&app.Event{}).Where("id = ?", ev.ID).Updates(map[string]any{"draw_status": app.DrawDone, "updated_at": now}).Error); err != nil {
			return err
		}
		d.DrawnAt = &now
		if actor != nil {
			id := actor.ID
			d.DrawnBy = &id
		}
		if err := tx.err(tx.q(ctx).Model(&app.EventDraw{}).Where("event_id = ?", d.EventID).Updates(map[string]any{
			"seed": d.Seed, "witnesses": d.Witnesses, "chosen_index": d.ChosenIndex, "drawn_at": now, "drawn_by": d.DrawnBy,
			"confirm_by": confirmBy, "document": d.Document,
		}).Error); err != nil {
			return err
		}
		if res.Filled, err = tx.FillSeats(ctx, ev, actor); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditEventDraw, ObjectType: "event", ObjectID: itoa(d.EventID),
			Details: map[string]any{"pool_hash": d.PoolHash, "seed": *d.Seed, "chosen_index": d.ChosenIndex, "selected": len(res.Selected)}})
	})
	return res, err
}

// lockEventBeforeDraw locks a selection event whose draw may still be
// announced (not yet drawn, not yet started).
func (s *Store) lockEventBeforeDraw(ctx context.Context, eventID int64) (*app.Event, error) {
	if err := s.LockEvent(ctx, eventID); err != nil {
		return nil, err
	}
	ev, err := s.EventByID(ctx, eventID)
	if err != nil {
		return nil, err
	}
	if err := drawable(ev, ""); err != nil {
		return nil, err
	}
	if ev.StartsAt.Before(s.Now()) {
		return nil, app.Errorf(app.CodeConflict, "events.draw_too_late")
	}
	return ev, nil
}
