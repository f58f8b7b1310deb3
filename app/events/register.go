package events

import (
	"context"
	"strconv"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/mail"
	"github.com/mitwirken/mitwirken/app/store"
)

// Result is the outcome of a registration.
type Result struct {
	Registration *app.Registration
	Event        *app.Event
	// Position is the place on the waiting list (1 = next), 0 otherwise.
	Position int
}

// Register signs a person up for an event: a seat, a place on the waiting
// list or, for selection events, an application. The mail that says so is
// written in the same transaction. Errors: not found (unknown or draft
// event), gone (window closed, event cancelled), forbidden (invitation
// event without invitation), invalid (input), conflict (already registered).
func (s *Service) Register(ctx context.Context, u *app.User, eventID int64, in app.RegistrationInput) (*Result, error) {
	in.Clean()
	uid := u.ID
	r := &app.Registration{UserID: &uid, Kind: app.KindPublic}
	var res Result
	var selAnswers map[int64]string
	done, err := s.awaitRegistrationTurn(ctx, eventID)
	if err != nil {
		return nil, err
	}
	defer done()
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		rc := recipient{to: mail.To(u), name: u.DisplayName}
		ev, pos, err := tx.RegisterSeat(ctx, eventID, r, func(ev *app.Event) error {
			if err := s.eligible(ctx, tx, ev, u); err != nil {
				return err
			}
			if err := in.Validate(ev.Allocation); err != nil {
				return err
			}
			if in.AnswerOrtsteil != "" {
				if ok, err := tx.OrtsteilExists(ctx, in.AnswerOrtsteil); err != nil || !ok {
					return firstErr(err, app.FieldInvalid("answer_ortsteil", "form.ortsteil_unknown"))
				}
			}
			answers, err := checkSelectionAnswers(ctx, tx, ev, &in)
			if err != nil {
				return err
			}
			selAnswers = answers
			in.ApplyTo(r)
			return nil
		}, func(tx *store.Store, ev *app.Event, pos int) error {
			if len(selAnswers) > 0 {
				if err := tx.SaveSelectionAnswers(ctx, r.ID, selAnswers); err != nil {
					return err
				}
			}
			return s.queueStatusMail(ctx, tx, ev, r, rc, pos)
		})
		if err != nil {
			return err
		}
		res = Result{Registration: r, Event: ev, Position: pos}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.wake()
	return &res, nil
}

// eligible decides whether u may register for ev at all, before the input is
// looked at.
func (s *Service) eligible(ctx context.Context, tx *store.Store, ev *app.Event, u *app.User) error {
	now := tx.Now()
	switch {
	case ev.Status == app.EventDraft:
		return app.NotFound()
	case ev.Cancelled():
		return app.Errorf(app.CodeGone, "events.cancelled_no_registration")
	}
	switch ev.WindowState(now) {
	case "not_yet":
		return app.Errorf(app.CodeGone, "events.window_not_open", "Opens", FormatTime(ev.RegistrationOpensAt, "de"))
	case "closed":
		return app.Errorf(app.CodeGone, "events.window_closed")
	}
	if ev.Allocation != app.AllocInvitation {
		return nil
	}
	if ev.PublicSeats == 0 {
		return app.Errorf(app.CodeForbidden, "events.invitation_only")
	}
	if ev.StadtgebietID == nil {
		return nil
	}
	gebiete, err := tx.Stadtgebiete(ctx)
	if err != nil {
		return err
	}
	if g := store.StadtgebietOf(gebiete, u.Ortsteil()); g == nil || g.ID != *ev.StadtgebietID {
		return app.Errorf(app.CodeForbidden, "events.residents_only")
	}
	return nil
}

// queueStatusMail tells a person their new status: confirmed (with calendar
// entry and QR code), waiting list (with position), application received or
// offer. The mail worker renders it (QueueLater): in a registration rush
// these mails are queued by the thousand.
func (s *Service) queueStatusMail(ctx context.Context, tx *store.Store, ev *app.Event, r *app.Registration, rc recipient, pos int) error {
	d := s.registrationData(ev, r, rc)
	switch r.Status {
	case app.RegConfirmed:
		att, err := s.confirmationAttachments(ev, r)
		if err != nil {
			return err
		}
		d["Delegate"] = r.Kind == app.KindDelegate
		return s.Mail.QueueLater(ctx, tx, "event_confirmed", rc.to, d, att...)
	case app.RegWaitlisted:
		d["Position"] = pos
		d["FromDraw"] = ev.Allocation == app.AllocSelection
		return s.Mail.QueueLater(ctx, tx, "event_waitlisted", rc.to, d)
	case app.RegApplied:
		return s.Mail.QueueLater(ctx, tx, "event_applied", rc.to, d)
	case app.RegOffered:
		d["Selected"] = false
		return s.Mail.QueueLater(ctx, tx, "event_offer", rc.to, d)
	}
	return nil
}

// notifyFilled tells the people who got a seat from the waiting list.
func (s *Service) notifyFilled(ctx context.Context, tx *store.Store, ev *app.Event, filled []*app.Registration) error {
	if len(filled) == 0 {
		return nil
	}
	rcs, err := s.recipients(ctx, tx, filled)
	if err != nil {
		return err
	}
	for _, r := range filled {
		rc, ok := rcs[r.ID]
		if !ok {
			continue
		}
		if err := s.queueStatusMail(ctx, tx, ev, r, rc, 0); err != nil {
			return err
		}
	}
	return nil
}

// Status is a person's registration for an event with its waiting-list
// position, for the event page and the API.
type Status struct {
	Registration *app.Registration
	Position     int
}

// StatusOf returns u's registration for an event (nil if none).
func (s *Service) StatusOf(ctx context.Context, u *app.User, eventID int64) (*Status, error) {
	if u == nil {
		return nil, nil
	}
	r, err := s.Store.RegistrationOf(ctx, eventID, u.ID)
	if app.ErrorCode(err) == app.CodeNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	st := &Status{Registration: r}
	if r.Status == app.RegWaitlisted {
		if st.Position, err = s.Store.WaitPosition(ctx, r); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// CancelOwn cancels u's registration for an event. A held seat goes to the
// waiting list in the same transaction.
func (s *Service) CancelOwn(ctx context.Context, u *app.User, eventID int64) error {
	return s.withLockedRegistration(ctx, eventID, func(tx *store.Store, ev *app.Event) (*app.Registration, error) {
		r, err := tx.RegistrationOf(ctx, eventID, u.ID)
		if err != nil {
			return nil, err
		}
		return r, s.cancel(ctx, tx, ev, r, u)
	})
}

// CancelByLink cancels the registration a mailed link was made for; it works
// without logging in.
func (s *Service) CancelByLink(ctx context.Context, r *app.Registration) error {
	return s.withLockedRegistration(ctx, r.EventID, func(tx *store.Store, ev *app.Event) (*app.Registration, error) {
		fresh, err := tx.RegistrationByID(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		if fresh.LinkNonce != r.LinkNonce {
			return nil, app.NotFound()
		}
		return fresh, s.cancel(ctx, tx, ev, fresh, nil)
	})
}

// withLockedRegistration runs fn under the event's exclusive lock and wakes
// the mail worker afterwards.
func (s *Service) withLockedRegistration(ctx context.Context, eventID int64, fn func(tx *store.Store, ev *app.Event) (*app.Registration, error)) error {
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.LockEvent(ctx, eventID); err != nil {
			return err
		}
		ev, err := tx.EventByID(ctx, eventID)
		if err != nil {
			return err
		}
		_, err = fn(tx, ev)
		return err
	})
	if err == nil {
		s.wake()
	}
	return err
}

func (s *Service) cancel(ctx context.Context, tx *store.Store, ev *app.Event, r *app.Registration, actor *app.User) error {
	if !app.ActiveStatus(r.Status) {
		return app.Errorf(app.CodeGone, "events.not_active")
	}
	if !ev.StartsAt.After(tx.Now()) {
		return app.Errorf(app.CodeGone, "events.cancel_too_late")
	}
	rcs, err := s.recipients(ctx, tx, []*app.Registration{r})
	if err != nil {
		return err
	}
	rc, hasMail := rcs[r.ID]
	if r.Kind == app.KindDelegate && r.SubstituteEmail != "" && r.Status == app.RegConfirmed {
		// The organisation keeps its seat: the substitute takes over.
		if err := tx.SubstituteTakesOver(ctx, r, actor); err != nil {
			return err
		}
		if hasMail {
			if err := s.Mail.Queue(ctx, tx, "event_cancelled_self", rc.to, s.eventData(ev, rc.to.Lang)); err != nil {
				return err
			}
		}
		return s.queueStatusMail(ctx, tx, ev, r, recipient{to: mail.Recipient{Email: r.Email, Lang: "de"}, name: r.Name}, 0)
	}
	changed, filled, err := tx.CancelRegistration(ctx, ev, r, actor, "")
	if err != nil {
		return err
	}
	if !changed {
		return app.Errorf(app.CodeGone, "events.not_active")
	}
	if hasMail {
		if err := s.Mail.Queue(ctx, tx, "event_cancelled_self", rc.to, s.eventData(ev, rc.to.Lang)); err != nil {
			return err
		}
	}
	return s.notifyFilled(ctx, tx, ev, filled)
}

// RespondOffer accepts or declines an offered seat (from the link in the mail
// or from "Meine Anmeldungen"). A declined seat goes to the next person.
func (s *Service) RespondOffer(ctx context.Context, regID int64, nonce string, accept bool, actor *app.User) error {
	r, err := s.Store.RegistrationByID(ctx, regID)
	if err != nil {
		return err
	}
	return s.withLockedRegistration(ctx, r.EventID, func(tx *store.Store, ev *app.Event) (*app.Registration, error) {
		fresh, err := tx.RegistrationByID(ctx, regID)
		if err != nil {
			return nil, err
		}
		if nonce != "" && fresh.LinkNonce != nonce {
			return nil, app.Errorf(app.CodeGone, "events.offer_not_open")
		}
		if fresh.Status != app.RegOffered {
			if accept && fresh.Status == app.RegConfirmed {
				return fresh, nil // clicked twice
			}
			return nil, app.Errorf(app.CodeGone, "events.offer_not_open")
		}
		if !accept {
			ok, filled, err := tx.DeclineOffer(ctx, ev, fresh, actor)
			if err != nil || !ok {
				return nil, firstErr(err, app.Errorf(app.CodeGone, "events.offer_not_open"))
			}
			return fresh, s.notifyFilled(ctx, tx, ev, filled)
		}
		ok, err := tx.AcceptOffer(ctx, ev, fresh, actor)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, app.Errorf(app.CodeGone, "events.offer_expired")
		}
		return fresh, s.notifyFilled(ctx, tx, ev, []*app.Registration{fresh})
	})
}

// RespondOwnOffer is RespondOffer for a logged-in person and an event.
func (s *Service) RespondOwnOffer(ctx context.Context, u *app.User, eventID int64, accept bool) error {
	r, err := s.Store.RegistrationOf(ctx, eventID, u.ID)
	if err != nil {
		return err
	}
	return s.RespondOffer(ctx, r.ID, "", accept, u)
}

// CheckIn marks a confirmed registration as present. It reports false when
// the person was already checked in.
func (s *Service) CheckIn(ctx context.Context, actor *app.User, r *app.Registration) (bool, error) {
	if r.Status != app.RegConfirmed {
		return false, app.Errorf(app.CodeConflict, "events.checkin_not_confirmed")
	}
	return s.Store.CheckIn(ctx, actor, r)
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
