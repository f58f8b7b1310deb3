package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	mathrand "math/rand/v2"
	"strings"
	"time"

	"github.com/mitwirken/mitwirken/app"
)

// Seats are held by registrations with status confirmed or offered. The
// events row counts them (seats_taken, and public_taken for the seats open to
// the public), and a CHECK constraint keeps seats_taken <= capacity, so no
// sequence of requests on any number of instances can overbook.
//
// Locking protocol (PostgreSQL; SQLite serialises every write transaction):
//
//   - A new registration holds the event's shared advisory lock (many at
//     once) and takes a seat with a conditional UPDATE of the events row
//     (seats_taken < capacity); when that fails it joins the waiting list.
//   - Everything that frees a seat or adds seats (cancel, decline, expiry,
//     capacity change, draw) holds the exclusive advisory lock and gives free
//     seats to the waiting list in the same transaction (FillSeats).
//
// So a waiter is never inserted while a seat is being freed unseen: the
// exclusive holder waits for in-flight registrations and then sees their
// rows, and a registration that waited for the exclusive holder sees the
// freed seat. Invariant: a free public seat means nobody waits for one.

// eventLockSpace is the high half of the advisory lock keys of events.
const eventLockSpace int64 = 727275 << 32

// LockEvent takes the event's exclusive lock until the transaction ends.
// Call it first in the transaction, before touching any row. On SQLite the
// transaction already holds the database's only write lock (Tx).
func (s *Store) LockEvent(ctx context.Context, id int64) error {
	if s.dialect != Postgres {
		return nil
	}
	return s.err(s.q(ctx).Exec("SELECT pg_advisory_xact_lock(?)", eventLockSpace|id).Error)
}

// takeSeat counts one more held seat if there is one free, and updates ev.
func (s *Store) takeSeat(ctx context.Context, ev *app.Event, kind string) (bool, error) {
	q := "UPDATE events SET seats_taken = seats_taken + 1 WHERE id = ? AND status = ? AND seats_taken < capacity"
	if kind == app.KindPublic {
		q = "UPDATE events SET seats_taken = seats_taken + 1, public_taken = public_taken + 1 WHERE id = ? AND status = ? AND seats_taken < capacity AND public_taken < public_seats"
	}
	res := s.q(ctx).Exec(q, ev.ID, app.EventPublished)
	if res.Error != nil {
		return false, s.err(res.Error)
	}
	if res.RowsAffected != 1 {
		return false, nil
	}
	ev.SeatsTaken++
	if kind == app.KindPublic {
		ev.PublicTaken++
	}
	return true, nil
}

// releaseSeat gives back the seat of a registration that held one.
func (s *Store) releaseSeat(ctx context.Context, ev *app.Event, kind string) error {
	q := "UPDATE events SET seats_taken = seats_taken - 1 WHERE id = ? AND seats_taken > 0"
	if kind == app.KindPublic {
		q = "UPDATE events SET seats_taken = seats_taken - 1, public_taken = public_taken - 1 WHERE id = ? AND seats_taken > 0 AND public_taken > 0"
	}
	res := s.q(ctx).Exec(q, ev.ID)
	if res.Error != nil {
		return s.err(res.Error)
	}
	if res.RowsAffected != 1 {
		return app.Internal(errSeatAccounting)
	}
	ev.SeatsTaken--
	if kind == app.KindPublic {
		ev.PublicTaken--
	}
	return nil
}

type seatError string

func (e seatError) Error() string { return string(e) }

const errSeatAccounting = seatError("events: seat count out of step with the registrations")

func seatFree(ev *app.Event, kind string) bool {
	if kind == app.KindPublic {
		return ev.PublicSeatsLeft() > 0
	}
	return ev.SeatsLeft() > 0
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// NewLinkNonce makes the value that ties mailed links to a registration.
func NewLinkNonce() string { return randomHex(12) }

// RegisterSeat adds a registration under the event's shared lock: check sees
// the event as it is now and may refuse (window, status, eligibility); then
// the person gets a seat (confirmed), a place on the waiting list or, for
// selection events, the status applied. Delegates never wait: without a free
// seat the registration fails. A person registering again after cancelling
// reuses their row. finish runs after the registration row is written, in
// the same transaction (it queues the mail for the new status). It returns
// the event and the waiting-list position. Call inside Tx.
//
// While seats are free, the seat is taken by the last statement of a
// savepoint, after the row and the mail are written: the event row is then
// locked only until the commit, so a rush of people reaching for the last
// seats does not queue on that row behind each other's whole transactions.
// Whoever finds the seats gone rolls back to the savepoint and waits.
func (s *Store) RegisterSeat(ctx context.Context, eventID int64, r *app.Registration, check func(*app.Event) error,
	finish func(tx *Store, ev *app.Event, pos int) error) (*app.Event, int, error) {
	ev, err := s.eventLockedShared(ctx, eventID)
	if err != nil {
		return nil, 0, err
	}
	if err := check(ev); err != nil {
		return nil, 0, err
	}
	if r.Kind == "" {
		r.Kind = app.KindPublic
	}
	now := s.Now()
	r.EventID, r.CreatedAt, r.UpdatedAt, r.LinkNonce = ev.ID, now, now, NewLinkNonce()
	if ev.Allocation == app.AllocSelection {
		r.Status, r.Pseudonym = app.RegApplied, "B-"+randomHex(6)
		if _, err := s.writeRegistration(ctx, r); err != nil {
			return nil, 0, err
		}
		return ev, 0, finish(s, ev, 0)
	}
	if seatFree(ev, r.Kind) {
		won, err := s.tryConfirm(ctx, ev, r, finish)
		if err != nil || won {
			return ev, 0, err
		}
	}
	if r.Kind != app.KindPublic {
		return nil, 0, app.Errorf(app.CodeConflict, "events.full")
	}
	r.Status, r.ConfirmedAt = app.RegWaitlisted, nil
	ahead, err := s.writeRegistration(ctx, r)
	if err != nil {
		return nil, 0, err
	}
	pos := ahead + 1
	if ahead < 0 {
		if pos, err = s.waitPosition(ctx, r); err != nil {
			return nil, 0, err
		}
	}
	return ev, pos, finish(s, ev, pos)
}

// errSeatsGone rolls back an attempt to confirm when the last seat went to
// someone else meanwhile.
var errSeatsGone = errors.New("seats gone")

// tryConfirm writes the registration as confirmed, runs finish, and takes the
// seat last, all in a savepoint; when the seats are gone it rolls back and
// reports false.
func (s *Store) tryConfirm(ctx context.Context, ev *app.Event, r *app.Registration, finish func(*Store, *app.Event, int) error) (bool, error) {
	saved := *r
	taken := *ev
	err := s.Tx(ctx, func(sp *Store) error {
		now := sp.Now()
		r.Status, r.ConfirmedAt = app.RegConfirmed, &now
		if _, err := sp.writeRegistration(ctx, r); err != nil {
			return err
		}
		if err := finish(sp, &taken, 0); err != nil {
			return err
		}
		ok, err := sp.takeSeat(ctx, &taken, r.Kind)
		if err != nil {
			return err
		}
		if !ok {
			return errSeatsGone
		}
		return nil
	})
	if errors.Is(err, errSeatsGone) {
		*r = saved
		return false, nil
	}
	if err != nil {
		return false, err
	}
	*ev = taken
	return true, nil
}

// writeRegistration inserts the registration, or reactivates the person's
// cancelled one. It returns how many wait ahead of a new waiter (-1 when it
// was not computed).
func (s *Store) writeRegistration(ctx context.Context, r *app.Registration) (int, error) {
	inserted, ahead, err := s.insertRegistration(ctx, r)
	if err != nil {
		return 0, err
	}
	if inserted {
		return ahead, nil
	}
	return -1, s.reactivate(ctx, r)
}

// eventLockedShared takes the event's shared lock and reads the event after
// the lock was granted: one round trip on PostgreSQL (event_lock_shared).
func (s *Store) eventLockedShared(ctx context.Context, id int64) (*app.Event, error) {
	if s.dialect != Postgres {
		return s.EventByID(ctx, id) // Tx holds SQLite's write lock
	}
	var evs []app.Event
	if err := s.scanRaw(ctx, &evs, "SELECT * FROM event_lock_shared(?, ?)", id, eventLockSpace|id); err != nil {
		return nil, s.err(err)
	}
	if len(evs) == 0 {
		return nil, app.NotFound()
	}
	return &evs[0], nil
}

// waitSeqExpr hands out arrival numbers: a sequence on PostgreSQL (no lock
// needed), the next number of the event on SQLite (writes are serialised).
func (s *Store) waitSeqExpr() string {
	if s.dialect == Postgres {
		return "nextval('event_wait_seq')"
	}
	return "COALESCE((SELECT MAX(wait_seq) FROM event_registrations WHERE event_id = @event), 0) + 1"
}

const insertRegistrationSQL = `INSERT INTO event_registrations (event_id, user_id, kind, invitation_id, name, email,
	substitute_name, substitute_email, status, wait_seq, pseudonym, access_needs, access_other, answers_consent,
	answer_ortsteil, answer_age, answer_gender, answer_first_time, confirmed_at, link_nonce, created_at, updated_at)
	VALUES (@event, @user, @kind, @invitation, @name, @email, @subname, @subemail, @status, %s,
	@pseudonym, @needs, @other, @consent, @ortsteil, @age, @gender, @first, @confirmed, @nonce, @now, @now)
	ON CONFLICT (event_id, user_id) DO NOTHING RETURNING id, wait_seq, status`

// waitShards is the number of rows the waiting count of an event is spread
// over (event_wait_counts).
const waitShards = 32

const bumpWaitingSQL = `INSERT INTO event_wait_counts (event_id, shard, n) VALUES (?, ?, ?)
	ON CONFLICT (event_id, shard) DO UPDATE SET n = event_wait_counts.n + excluded.n`

// bumpWaiting adds delta to the number of people waiting for an event.
func (s *Store) bumpWaiting(ctx context.Context, eventID int64, delta int) error {
	if delta == 0 {
		return nil
	}
	shard := 0
	if delta > 0 {
		shard = mathrand.IntN(waitShards)
	}
	return s.err(s.q(ctx).Exec(bumpWaitingSQL, eventID, shard, delta).Error)
}

// insertRegistration adds the row unless the person is registered already,
// and counts a waiter. It returns how many wait ahead of a new waiter (-1
// when it was not computed). On PostgreSQL this is one statement: the
// insert, the count of waiters and the position, read from one snapshot
// (the waiters counted minus those behind the new one; neither includes the
// new row, which the same statement cannot see).
func (s *Store) insertRegistration(ctx context.Context, r *app.Registration) (inserted bool, ahead int, err error) {
	var row struct {
		ID      int64
		WaitSeq int64
		Status  string
		Ahead   int
	}
	args := registrationArgs(r)
	q := fmt.Sprintf(insertRegistrationSQL, s.waitSeqExpr())
	if s.dialect == Postgres {
		args["shard"] = mathrand.IntN(waitShards)
		q = `WITH ins AS (` + q + `),
			bump AS (INSERT INTO event_wait_counts (event_id, shard, n) SELECT @event, @shard, 1 FROM ins WHERE ins.status = 'waitlisted'
				ON CONFLICT (event_id, shard) DO UPDATE SET n = event_wait_counts.n + 1 RETURNING 1)
			SELECT ins.id, ins.wait_seq, ins.status,
				(SELECT COALESCE(SUM(c.n), 0) FROM event_wait_counts c WHERE c.event_id = @event)
				- (SELECT COUNT(*) FROM event_registrations w WHERE w.event_id = @event AND w.status = 'waitlisted' AND w.wait_seq > ins.wait_seq) AS ahead
			FROM ins`
	}
	if err := s.scanRaw(ctx, &row, q, args); err != nil {
		return false, 0, s.err(err)
	}
	if row.ID == 0 {
		return false, 0, nil
	}
	r.ID, r.WaitSeq = row.ID, row.WaitSeq
	if s.dialect == Postgres {
		return true, row.Ahead, nil
	}
	if row.Status == app.RegWaitlisted {
		if err := s.bumpWaiting(ctx, r.EventID, 1); err != nil {
			return false, 0, err
		}
	}
	return true, -1, nil
}

func registrationArgs(r *app.Registration) map[string]any {
	return map[string]any{
		"event": r.EventID, "user": r.UserID, "kind": r.Kind, "invitation": r.InvitationID, "name": r.Name, "email": r.Email,
		"subname": r.SubstituteName, "subemail": r.SubstituteEmail, "status": r.Status, "pseudonym": r.Pseudonym,
		"needs": r.AccessNeeds, "other": r.AccessOther, "consent": r.AnswersConsent, "ortsteil": r.AnswerOrtsteil,
		"age": r.AnswerAge, "gender": r.AnswerGender, "first": r.AnswerFirstTime, "confirmed": r.ConfirmedAt,
		"nonce": r.LinkNonce, "now": r.CreatedAt,
	}
}

// reactivate turns a cancelled, declined or expired registration of the same
// person into the new one; an active registration is a conflict.
func (s *Store) reactivate(ctx context.Context, r *app.Registration) error {
	var old app.Registration
	if err := s.q(ctx).Where("event_id = ? AND user_id = ?", r.EventID, r.UserID).First(&old).Error; err != nil {
		return s.err(err)
	}
	if app.ActiveStatus(old.Status) {
		return app.Errorf(app.CodeConflict, "events.already_registered")
	}
	args := registrationArgs(r)
	args["id"] = old.ID
	err := s.scanRaw(ctx, &r.WaitSeq, `UPDATE event_registrations SET status = @status, wait_seq = `+s.waitSeqExpr()+`,
		access_needs = @needs, access_other = @other, answers_consent = @consent, answer_ortsteil = @ortsteil,
		answer_age = @age, answer_gender = @gender, answer_first_time = @first, confirmed_at = @confirmed,
		offered_at = NULL, offer_expires_at = NULL, cancelled_at = NULL, checked_in_at = NULL, notify_pending = '',
		link_nonce = @nonce, updated_at = @now WHERE id = @id RETURNING wait_seq`, args)
	if err != nil {
		return s.err(err)
	}
	r.ID, r.Pseudonym, r.CreatedAt = old.ID, old.Pseudonym, old.CreatedAt
	if r.Status == app.RegWaitlisted {
		return s.bumpWaiting(ctx, r.EventID, 1)
	}
	return nil
}

// waitPosition is the 1-based rank among those still waiting (the order of
// WaitingList), counted without loading the list.
func (s *Store) waitPosition(ctx context.Context, r *app.Registration) (int, error) {
	var n int64
	err := s.q(ctx).Model(&app.Registration{}).
		Where("event_id = ? AND status = ? AND kind = ? AND (wait_seq < ? OR (wait_seq = ? AND id < ?))",
			r.EventID, app.RegWaitlisted, app.KindPublic, r.WaitSeq, r.WaitSeq, r.ID).
		Count(&n).Error
	return int(n) + 1, s.err(err)
}

// WaitPosition is the 1-based waiting-list position of a waiting
// registration (0 for any other status).
func (s *Store) WaitPosition(ctx context.Context, r *app.Registration) (int, error) {
	if r.Status != app.RegWaitlisted || r.Kind != app.KindPublic {
		return 0, nil
	}
	return s.waitPosition(ctx, r)
}

// WaitPositions returns the waiting-list positions of the given registrations
// (1-based, contiguous) for every event they belong to.
func (s *Store) WaitPositions(ctx context.Context, regs []*app.Registration) (map[int64]int, error) {
	out := map[int64]int{}
	events := map[int64]bool{}
	for _, r := range regs {
		if r.Status == app.RegWaitlisted {
			events[r.EventID] = true
		}
	}
	for id := range events {
		list, err := s.WaitingList(ctx, id)
		if err != nil {
			return nil, err
		}
		for i, w := range list {
			out[w.ID] = i + 1
		}
	}
	return out, nil
}

// WaitingList lists the people waiting for a public seat, first first.
func (s *Store) WaitingList(ctx context.Context, eventID int64) ([]*app.Registration, error) {
	var out []*app.Registration
	err := s.q(ctx).Where("event_id = ? AND status = ? AND kind = ?", eventID, app.RegWaitlisted, app.KindPublic).
		Order("wait_seq, id").Find(&out).Error
	return out, s.err(err)
}

// transition moves a registration from one of the statuses in from to to,
// only if it is still in one of them. fields are set as well.
func (s *Store) transition(ctx context.Context, r *app.Registration, from []string, to string, fields map[string]any) (bool, error) {
	if fields == nil {
		fields = map[string]any{}
	}
	fields["status"] = to
	fields["updated_at"] = s.Now()
	res := s.q(ctx).Model(&app.Registration{}).Where("id = ? AND status IN ?", r.ID, from).Updates(fields)
	if res.Error != nil {
		return false, s.err(res.Error)
	}
	if res.RowsAffected != 1 {
		return false, nil
	}
	r.Status = to
	return true, nil
}

// FillSeats gives free public seats to the waiting list in order: an offer
// valid for the event's offer time (never beyond its start), or with automatic
// moving-up a confirmed seat. It returns those who got a seat. Call inside
// Tx after LockEvent, with ev read after the lock.
func (s *Store) FillSeats(ctx context.Context, ev *app.Event, actor *app.User) ([]*app.Registration, error) {
	now := s.Now()
	if ev.Status != app.EventPublished || !ev.StartsAt.After(now) {
		return nil, nil
	}
	var out []*app.Registration
	if ev.PublicSeatsLeft() <= 0 {
		return nil, nil
	}
	quota, err := s.loadQuotaSeats(ctx, ev)
	if err != nil {
		return nil, err
	}
	for ev.PublicSeatsLeft() > 0 {
		if quota != nil { // drawn with quotas: the waiter who keeps them (selection_replace.go)
			w, err := s.quotaWaiter(ctx, ev, quota, actor)
			if err != nil {
				return nil, err
			}
			if w == nil {
				break
			}
			if ok, err := s.takeSeat(ctx, ev, app.KindPublic); err != nil || !ok {
				return out, err
			}
			if err := s.giveSeat(ctx, ev, w, actor, now); err != nil {
				return nil, err
			}
			quota.seated(w)
			out = append(out, w)
			continue
		}
		var waiters []*app.Registration
		err := s.q(ctx).Where("event_id = ? AND status = ? AND kind = ?", ev.ID, app.RegWaitlisted, app.KindPublic).
			Order("wait_seq, id").Limit(ev.PublicSeatsLeft()).Find(&waiters).Error
		if err != nil {
			return nil, s.err(err)
		}
		if len(waiters) == 0 {
			break
		}
		for _, w := range waiters {
			ok, err := s.takeSeat(ctx, ev, app.KindPublic)
			if err != nil || !ok {
				return out, err
			}
			if err := s.giveSeat(ctx, ev, w, actor, now); err != nil {
				return nil, err
			}
			out = append(out, w)
		}
	}
	return out, nil
}

// giveSeat turns a waiter whose seat was just counted into an offer or, with
// automatic moving-up, a confirmed participant.
func (s *Store) giveSeat(ctx context.Context, ev *app.Event, w *app.Registration, actor *app.User, now time.Time) error {
	fields := map[string]any{}
	to, action, details := app.RegOffered, app.LogOffer, ""
	if ev.AutoPromote {
		to, action = app.RegConfirmed, app.LogPromote
		fields["confirmed_at"] = now
		w.ConfirmedAt = &now
	} else {
		exp := OfferDeadline(ev, now, ev.OfferHours)
		fields["offered_at"], fields["offer_expires_at"] = now, exp
		w.OfferedAt, w.OfferExpiresAt = &now, &exp
		details = exp.Format(time.RFC3339)
	}
	ok, err := s.transition(ctx, w, []string{app.RegWaitlisted}, to, fields)
	if err != nil {
		return err
	}
	if !ok {
		return app.Internal(errSeatAccounting)
	}
	if err := s.bumpWaiting(ctx, ev.ID, -1); err != nil {
		return err
	}
	return s.logEvent(ctx, ev.ID, &w.ID, action, actor, details)
}

// OfferDeadline is now plus the given hours, but never after the event starts.
func OfferDeadline(ev *app.Event, now time.Time, hours int) time.Time {
	exp := now.Add(time.Duration(hours) * time.Hour)
	if exp.After(ev.StartsAt) {
		exp = ev.StartsAt
	}
	return exp
}

// CancelRegistration ends a registration (by the person, through the link in
// a mail or because the account was erased). A held seat goes to the
// waiting list at once. It returns whether anything changed and who got a
// seat. Call inside Tx after LockEvent.
func (s *Store) CancelRegistration(ctx context.Context, ev *app.Event, r *app.Registration, actor *app.User, details string) (bool, []*app.Registration, error) {
	held, waited := app.HoldsSeat(r.Status), r.Status == app.RegWaitlisted
	now := s.Now()
	ok, err := s.transition(ctx, r, []string{app.RegConfirmed, app.RegOffered, app.RegWaitlisted, app.RegApplied}, app.RegCancelled,
		map[string]any{"cancelled_at": now, "offer_expires_at": nil, "notify_pending": "", "link_nonce": NewLinkNonce()})
	if err != nil || !ok {
		return false, nil, err
	}
	r.CancelledAt = &now
	if err := s.logEvent(ctx, ev.ID, &r.ID, app.LogCancel, actor, details); err != nil {
		return false, nil, err
	}
	if waited {
		if err := s.bumpWaiting(ctx, ev.ID, -1); err != nil {
			return false, nil, err
		}
	}
	if !held {
		return true, nil, nil
	}
	if err := s.releaseSeat(ctx, ev, r.Kind); err != nil {
		return false, nil, err
	}
	filled, err := s.FillSeats(ctx, ev, actor)
	return true, filled, err
}

// AcceptOffer confirms an offered seat that has not expired.
func (s *Store) AcceptOffer(ctx context.Context, ev *app.Event, r *app.Registration, actor *app.User) (bool, error) {
	now := s.Now()
	if r.Status != app.RegOffered || r.OfferExpiresAt == nil || !r.OfferExpiresAt.After(now) || ev.Status != app.EventPublished {
		return false, nil
	}
	res := s.q(ctx).Model(&app.Registration{}).Where("id = ? AND status = ? AND offer_expires_at > ?", r.ID, app.RegOffered, now).
		Updates(map[string]any{"status": app.RegConfirmed, "confirmed_at": now, "updated_at": now, "notify_pending": ""})
	if res.Error != nil {
		return false, s.err(res.Error)
	}
	if res.RowsAffected != 1 {
		return false, nil
	}
	r.Status, r.ConfirmedAt = app.RegConfirmed, &now
	return true, s.logEvent(ctx, ev.ID, &r.ID, app.LogAccept, actor, "")
}

// DeclineOffer gives an offered seat back; it goes to the next person.
func (s *Store) DeclineOffer(ctx context.Context, ev *app.Event, r *app.Registration, actor *app.User) (bool, []*app.Registration, error) {
	return s.endOffer(ctx, ev, r, app.RegDeclined, app.LogDecline, actor)
}

// ExpireOffer ends an offer whose time is up; the seat goes to the next person.
func (s *Store) ExpireOffer(ctx context.Context, ev *app.Event, r *app.Registration) (bool, []*app.Registration, error) {
	now := s.Now()
	if r.OfferExpiresAt == nil || r.OfferExpiresAt.After(now) {
		return false, nil, nil
	}
	return s.endOffer(ctx, ev, r, app.RegExpired, app.LogExpire, nil)
}

func (s *Store) endOffer(ctx context.Context, ev *app.Event, r *app.Registration, to, action string, actor *app.User) (bool, []*app.Registration, error) {
	ok, err := s.transition(ctx, r, []string{app.RegOffered}, to, map[string]any{"notify_pending": "", "link_nonce": NewLinkNonce()})
	if err != nil || !ok {
		return false, nil, err
	}
	if err := s.logEvent(ctx, ev.ID, &r.ID, action, actor, ""); err != nil {
		return false, nil, err
	}
	if err := s.releaseSeat(ctx, ev, r.Kind); err != nil {
		return false, nil, err
	}
	filled, err := s.FillSeats(ctx, ev, actor)
	return true, filled, err
}

// DueOffers lists offers whose time is up (across events).
func (s *Store) DueOffers(ctx context.Context, limit int) ([]*app.Registration, error) {
	var out []*app.Registration
	err := s.q(ctx).Where("status = ? AND offer_expires_at <= ?", app.RegOffered, s.Now()).Order("offer_expires_at, id").Limit(limit).Find(&out).Error
	return out, s.err(err)
}

// RegistrationByID loads one registration.
func (s *Store) RegistrationByID(ctx context.Context, id int64) (*app.Registration, error) {
	var r app.Registration
	if err := s.q(ctx).First(&r, id).Error; err != nil {
		return nil, s.err(err)
	}
	return &r, nil
}

// RegistrationOf loads a person's registration for an event.
func (s *Store) RegistrationOf(ctx context.Context, eventID, userID int64) (*app.Registration, error) {
	var r app.Registration
	if err := s.q(ctx).Where("event_id = ? AND user_id = ?", eventID, userID).First(&r).Error; err != nil {
		return nil, s.err(err)
	}
	return &r, nil
}

// ActiveRegistrations lists everybody who takes part or waits.
func (s *Store) ActiveRegistrations(ctx context.Context, eventID int64) ([]*app.Registration, error) {
	var out []*app.Registration
	err := s.q(ctx).Where("event_id = ? AND status IN ?", eventID,
		[]string{app.RegConfirmed, app.RegOffered, app.RegWaitlisted, app.RegApplied}).Order("id").Find(&out).Error
	return out, s.err(err)
}

// RegistrationsWithStatus lists an event's registrations of some statuses.
func (s *Store) RegistrationsWithStatus(ctx context.Context, eventID int64, statuses ...string) ([]*app.Registration, error) {
	var out []*app.Registration
	err := s.q(ctx).Where("event_id = ? AND status IN ?", eventID, statuses).Order("id").Find(&out).Error
	return out, s.err(err)
}

// UserRegistration is a registration with its event, for "Meine Anmeldungen".
type UserRegistration struct {
	Registration *app.Registration
	Event        *app.Event
	Position     int
}

// UserRegistrations lists a person's registrations with their events:
// upcoming first (soonest first), then past ones.
func (s *Store) UserRegistrations(ctx context.Context, userID int64) ([]UserRegistration, error) {
	var regs []*app.Registration
	if err := s.q(ctx).Where("user_id = ?", userID).Find(&regs).Error; err != nil {
		return nil, s.err(err)
	}
	if len(regs) == 0 {
		return nil, nil
	}
	ids := make([]int64, 0, len(regs))
	for _, r := range regs {
		ids = append(ids, r.EventID)
	}
	var events []*app.Event
	if err := s.q(ctx).Where("id IN ?", ids).Find(&events).Error; err != nil {
		return nil, s.err(err)
	}
	byID := map[int64]*app.Event{}
	for _, e := range events {
		byID[e.ID] = e
	}
	pos, err := s.WaitPositions(ctx, regs)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	out := make([]UserRegistration, 0, len(regs))
	for _, r := range regs {
		if e := byID[r.EventID]; e != nil {
			out = append(out, UserRegistration{Registration: r, Event: e, Position: pos[r.ID]})
		}
	}
	sortUserRegistrations(out, now)
	return out, nil
}

func sortUserRegistrations(list []UserRegistration, now time.Time) {
	less := func(a, b UserRegistration) bool {
		pa, pb := a.Event.Past(now), b.Event.Past(now)
		if pa != pb {
			return !pa
		}
		if pa {
			return a.Event.StartsAt.After(b.Event.StartsAt)
		}
		return a.Event.StartsAt.Before(b.Event.StartsAt)
	}
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && less(list[j], list[j-1]); j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
}

// RegistrationFilter narrows the organisers' registration list.
type RegistrationFilter struct {
	Status string
	Need   string
	Kind   string
	Query  string
}

// ListRegistrations lists an event's registrations for the organisers, with
// the accounts' pseudonyms.
func (s *Store) ListRegistrations(ctx context.Context, eventID int64, f RegistrationFilter) ([]*app.Registration, map[int64]*app.User, error) {
	q := s.q(ctx).Model(&app.Registration{}).Where("event_id = ?", eventID)
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Need != "" {
		q = q.Where("access_needs LIKE ? ESCAPE '\\'", "%,"+escapeLike(f.Need)+",%")
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if f.Query != "" {
		like := "%" + escapeLike(strings.ToLower(f.Query)) + "%"
		q = q.Where("(lower(name) LIKE ? ESCAPE '\\' OR lower(pseudonym) LIKE ? ESCAPE '\\' OR user_id IN (SELECT id FROM users WHERE lower(display_name) LIKE ? ESCAPE '\\'))", like, like, like)
	}
	var regs []*app.Registration
	if err := q.Order("id").Find(&regs).Error; err != nil {
		return nil, nil, s.err(err)
	}
	var userIDs []int64
	for _, r := range regs {
		if r.UserID != nil {
			userIDs = append(userIDs, *r.UserID)
		}
	}
	users, err := s.UsersByIDs(ctx, userIDs)
	return regs, users, err
}

// CheckIn marks attendance once; it reports false when the person was
// already checked in.
func (s *Store) CheckIn(ctx context.Context, actor *app.User, r *app.Registration) (bool, error) {
	now := s.Now()
	var ok bool
	err := s.Tx(ctx, func(tx *Store) error {
		res := tx.q(ctx).Model(&app.Registration{}).Where("id = ? AND status = ? AND checked_in_at IS NULL", r.ID, app.RegConfirmed).
			Updates(map[string]any{"checked_in_at": now, "updated_at": now})
		if res.Error != nil {
			return tx.err(res.Error)
		}
		if res.RowsAffected == 0 {
			return nil
		}
		ok = true
		r.CheckedInAt = &now
		if err := tx.logEvent(ctx, r.EventID, &r.ID, app.LogCheckin, actor, ""); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditEventCheckin, ObjectType: "event", ObjectID: itoa(r.EventID),
			Details: map[string]any{"registration": r.ID}})
	})
	return ok, err
}

// SetNotifyPending marks registrations whose mail still has to be sent.
func (s *Store) SetNotifyPending(ctx context.Context, regs []*app.Registration) error {
	for _, r := range regs {
		if err := s.q(ctx).Model(&app.Registration{}).Where("id = ?", r.ID).Update("notify_pending", r.Status).Error; err != nil {
			return s.err(err)
		}
	}
	return nil
}

// PendingNotifications lists registrations whose mail still has to be sent.
func (s *Store) PendingNotifications(ctx context.Context, limit int) ([]*app.Registration, error) {
	var out []*app.Registration
	err := s.q(ctx).Where("notify_pending <> ''").Order("id").Limit(limit).Find(&out).Error
	return out, s.err(err)
}

// ClaimNotification clears the pending mark once and reports whether the
// caller claimed it and the mail is still due (the status did not move on).
func (s *Store) ClaimNotification(ctx context.Context, r *app.Registration) (bool, error) {
	res := s.q(ctx).Model(&app.Registration{}).Where("id = ? AND notify_pending = ?", r.ID, r.NotifyPending).Update("notify_pending", "")
	if res.Error != nil || res.RowsAffected != 1 {
		return false, s.err(res.Error)
	}
	cur, err := s.RegistrationByID(ctx, r.ID)
	if err != nil {
		return false, err
	}
	return cur.Status == r.NotifyPending, nil
}

// SubstituteTakesOver hands a delegate's seat to the substitute the
// organisation named: the seat stays with the organisation, the old links
// stop working.
func (s *Store) SubstituteTakesOver(ctx context.Context, r *app.Registration, actor *app.User) error {
	if r.Kind != app.KindDelegate || r.SubstituteEmail == "" {
		return app.Errorf(app.CodeConflict, "events.no_substitute")
	}
	nonce := NewLinkNonce()
	res := s.q(ctx).Model(&app.Registration{}).Where("id = ? AND status = ?", r.ID, app.RegConfirmed).Updates(map[string]any{
		"name": r.SubstituteName, "email": r.SubstituteEmail, "substitute_name": "", "substitute_email": "",
		"access_needs": "", "access_other": "", "link_nonce": nonce, "checked_in_at": nil, "updated_at": s.Now(),
	})
	if res.Error != nil {
		return s.err(res.Error)
	}
	if res.RowsAffected != 1 {
		return app.Errorf(app.CodeGone, "events.not_active")
	}
	r.Name, r.Email, r.SubstituteName, r.SubstituteEmail = r.SubstituteName, r.SubstituteEmail, "", ""
	r.AccessNeeds, r.AccessOther, r.LinkNonce, r.CheckedInAt = "", "", nonce, nil
	return s.logEvent(ctx, r.EventID, &r.ID, app.LogCancel, actor, "substitute takes over")
}
