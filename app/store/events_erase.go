package store

import (
	"context"
	"sort"
	"time"

	"github.com/mitwirken/mitwirken/app"
)

// eraseEventRegistrations is the erase step of the events feature: future
// registrations are cancelled and their seats go to the waiting list (the
// offer mails follow through the notification job, since the store cannot
// compose mail); every registration loses its link to the account and every
// personal field. Status and attendance stay for the aggregate counts.
// Delegate seats an organisation gave to the same address are the same
// person's: a named substitute takes such a seat over, otherwise it is
// cancelled like the others.
func (s *Store) eraseEventRegistrations(u *app.User) func(context.Context) error {
	return func(ctx context.Context) error {
		var regs []*app.Registration
		q := s.q(ctx).Where("user_id = ?", u.ID)
		if addr := u.EmailAddress(); addr != "" {
			q = q.Or("kind = ? AND email = ?", app.KindDelegate, addr)
		}
		if err := q.Find(&regs).Error; err != nil {
			return s.err(err)
		}
		sort.Slice(regs, func(i, j int) bool { return regs[i].EventID < regs[j].EventID }) // lock order
		now := s.Now()
		var erase []int64
		for _, r := range regs {
			takenOver, err := s.endForErasure(ctx, r, now)
			if err != nil {
				return err
			}
			if !takenOver {
				erase = append(erase, r.ID)
			}
		}
		if len(erase) == 0 {
			return nil
		}
		return s.err(s.q(ctx).Model(&app.Registration{}).Where("id IN ?", erase).Updates(map[string]any{
			"user_id": nil, "name": "", "email": "", "substitute_name": "", "substitute_email": "",
			"access_needs": "", "access_other": "", "answers_consent": false, "answer_ortsteil": "", "answer_age": "",
			"answer_gender": "", "answer_first_time": "", "link_nonce": NewLinkNonce(), "updated_at": now,
		}).Error)
	}
}

// endForErasure cancels a future registration of an erased account (or lets
// the substitute take a delegate seat over, reporting true: the row is then
// the substitute's and stays).
func (s *Store) endForErasure(ctx context.Context, r *app.Registration, now time.Time) (bool, error) {
	if !app.ActiveStatus(r.Status) {
		return false, nil
	}
	if err := s.LockEvent(ctx, r.EventID); err != nil {
		return false, err
	}
	ev, err := s.EventByID(ctx, r.EventID)
	if err != nil || !ev.StartsAt.After(now) {
		return false, err
	}
	if r.Kind == app.KindDelegate && r.SubstituteEmail != "" && r.Status == app.RegConfirmed {
		if err := s.SubstituteTakesOver(ctx, r, nil); err != nil {
			return false, err
		}
		r.Status = app.RegConfirmed
		return true, s.SetNotifyPending(ctx, []*app.Registration{r})
	}
	_, filled, err := s.CancelRegistration(ctx, ev, r, nil, "account erased")
	if err != nil {
		return false, err
	}
	return false, s.SetNotifyPending(ctx, filled)
}

// PersonalRegistration is one event registration in "Meine Daten".
type PersonalRegistration struct {
	Event          string     `json:"event"`
	EventStartsAt  time.Time  `json:"event_starts_at"`
	Status         string     `json:"status"`
	ApplicantID    string     `json:"applicant_id"`
	AccessNeeds    []string   `json:"access_needs"`
	AccessOther    string     `json:"access_other"`
	AnswersConsent bool       `json:"answers_consent"`
	Ortsteil       string     `json:"ortsteil,omitempty"`
	AgeBand        string     `json:"age_band,omitempty"`
	Gender         string     `json:"gender,omitempty"`
	FirstTime      string     `json:"first_time,omitempty"`
	RegisteredAt   time.Time  `json:"registered_at"`
	OfferExpiresAt *time.Time `json:"offer_expires_at,omitempty"`
	CancelledAt    *time.Time `json:"cancelled_at,omitempty"`
	CheckedInAt    *time.Time `json:"checked_in_at,omitempty"`
}

func (s *Store) personalRegistrations(ctx context.Context, userID int64) ([]PersonalRegistration, error) {
	list, err := s.UserRegistrations(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := []PersonalRegistration{}
	for _, x := range list {
		r := x.Registration
		needs := r.Needs()
		if needs == nil {
			needs = []string{}
		}
		out = append(out, PersonalRegistration{
			Event: x.Event.Title, EventStartsAt: x.Event.StartsAt, Status: r.Status, ApplicantID: r.Pseudonym,
			AccessNeeds: needs, AccessOther: r.AccessOther, AnswersConsent: r.AnswersConsent, Ortsteil: r.AnswerOrtsteil,
			AgeBand: r.AnswerAge, Gender: r.AnswerGender, FirstTime: r.AnswerFirstTime, RegisteredAt: r.CreatedAt,
			OfferExpiresAt: r.OfferExpiresAt, CancelledAt: r.CancelledAt, CheckedInAt: r.CheckedInAt,
		})
	}
	return out, nil
}
