package events

import (
	"context"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// JobInterval is how often every instance runs the background jobs. They are
// safe to run on several instances at once: each change is a conditional
// update under the event's lock, so it happens once.
const JobInterval = 30 // seconds

// RunJobs runs every background job once; errors are logged.
func (s *Service) RunJobs(ctx context.Context) {
	for _, job := range []struct {
		name string
		run  func(context.Context) (int, error)
	}{
		{"expire offers", s.ExpireOffers},
		{"pending notifications", s.SendPendingNotifications},
		{"reminders", s.SendReminders},
		{"retention", s.PurgeExpired},
		{"selection draws", s.RunSelectionJobs},
	} {
		if ctx.Err() != nil {
			return
		}
		n, err := job.run(ctx)
		if err != nil {
			s.Log.Warn("events job failed", "job", job.name, "err", err)
		} else if n > 0 {
			s.Log.Info("events job done", "job", job.name, "count", n)
		}
	}
}

// ExpireOffers ends offers (and unconfirmed seats of a draw) whose time is
// up; each seat passes to the next person on the waiting list.
func (s *Service) ExpireOffers(ctx context.Context) (int, error) {
	due, err := s.Store.DueOffers(ctx, 200)
	if err != nil {
		return 0, err
	}
	return eachInTx(ctx, s, due, func(tx *store.Store, r *app.Registration) (int, error) {
		if err := tx.LockEvent(ctx, r.EventID); err != nil {
			return 0, err
		}
		ev, fresh, err := reload(ctx, tx, r)
		if err != nil {
			return 0, err
		}
		rcs, err := s.recipients(ctx, tx, []*app.Registration{fresh})
		if err != nil {
			return 0, err
		}
		ok, filled, err := tx.ExpireOffer(ctx, ev, fresh)
		if err != nil || !ok {
			return 0, err
		}
		if rc, has := rcs[fresh.ID]; has && ev.Status == app.EventPublished {
			if err := s.Mail.Queue(ctx, tx, "event_offer_expired", rc.to, s.eventData(ev, rc.to.Lang)); err != nil {
				return 0, err
			}
		}
		return 1, s.notifyFilled(ctx, tx, ev, filled)
	})
}

// SendPendingNotifications sends the mails of seat changes that happened
// where no mail could be written (an account erasure freeing a seat).
func (s *Service) SendPendingNotifications(ctx context.Context) (int, error) {
	pending, err := s.Store.PendingNotifications(ctx, 200)
	if err != nil {
		return 0, err
	}
	return eachInTx(ctx, s, pending, func(tx *store.Store, r *app.Registration) (int, error) {
		due, err := tx.ClaimNotification(ctx, r)
		if err != nil || !due {
			return 0, err
		}
		ev, fresh, err := reload(ctx, tx, r)
		if err != nil {
			return 0, err
		}
		return 1, s.notifyFilled(ctx, tx, ev, []*app.Registration{fresh})
	})
}

// SendReminders mails the reminder to everybody confirmed, once per event,
// the configured number of hours before the start.
func (s *Service) SendReminders(ctx context.Context) (int, error) {
	due, err := s.Store.ReminderDue(ctx)
	if err != nil {
		return 0, err
	}
	return eachInTx(ctx, s, due, func(tx *store.Store, ev *app.Event) (int, error) {
		claimed, err := tx.ClaimReminder(ctx, ev.ID)
		if err != nil || !claimed {
			return 0, err
		}
		regs, err := tx.RegistrationsWithStatus(ctx, ev.ID, app.RegConfirmed)
		if err != nil {
			return 0, err
		}
		return len(regs), s.tellAll(ctx, tx, ev, regs, "event_reminder", nil, false)
	})
}

// eachInTx handles every item in a transaction of its own (one failing item
// stops the run; the next run retries it) and wakes the mail worker when
// anything was done. It returns how much was done.
func eachInTx[T any](ctx context.Context, s *Service, items []T, fn func(tx *store.Store, item T) (int, error)) (int, error) {
	done := 0
	defer func() {
		if done > 0 {
			s.wake()
		}
	}()
	for _, item := range items {
		var n int
		err := s.Store.Tx(ctx, func(tx *store.Store) error {
			var err error
			n, err = fn(tx, item)
			return err
		})
		if err != nil {
			return done, err
		}
		done += n
	}
	return done, nil
}

// PurgeExpired deletes the personal data of events whose retention period
// after the end has passed; the aggregate counts stay.
func (s *Service) PurgeExpired(ctx context.Context) (int, error) {
	due, err := s.Store.PurgeDue(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, ev := range due {
		done, err := s.Store.PurgeEvent(ctx, ev.ID)
		if err != nil {
			return n, err
		}
		if done {
			n++
		}
	}
	return n, nil
}

// reload reads a registration and its event again inside a transaction.
func reload(ctx context.Context, tx *store.Store, r *app.Registration) (*app.Event, *app.Registration, error) {
	ev, err := tx.EventByID(ctx, r.EventID)
	if err != nil {
		return nil, nil, err
	}
	fresh, err := tx.RegistrationByID(ctx, r.ID)
	return ev, fresh, err
}
