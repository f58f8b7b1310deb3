package store

import (
	"context"
	"strings"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/selection"
)

// quotaSeats is what FillSeats needs to give the free seats of a drawn
// selection event with quotas (or the household rule): the draw document
// and who holds a seat or waits now. It is loaded once per FillSeats call:
// the seat holders and waiters cannot change under the exclusive lock
// except through FillSeats itself, which records each seat it gives.
type quotaSeats struct {
	doc *selection.Draw
	// waiters are the people of the pool still waiting, by pseudonym.
	waiters map[string]*app.Registration
	// holders are the pseudonyms holding a seat.
	holders []string
}

// loadQuotaSeats returns nil for every event that fills seats in plain
// waiting-list order: not a drawn selection event, or drawn without quotas
// and households (checked before the whole document is read), or without
// a waiting list yet.
func (s *Store) loadQuotaSeats(ctx context.Context, ev *app.Event) (*quotaSeats, error) {
	if ev.Allocation != app.AllocSelection || ev.DrawStatus != app.DrawDone {
		return nil, nil
	}
	d, err := s.DrawOf(ctx, ev.ID)
	if err != nil {
		return nil, err
	}
	quotas, err := selection.DrawHasQuotas(d.Document)
	if err != nil {
		return nil, app.Internal(err)
	}
	if !quotas {
		return nil, nil
	}
	doc, err := selection.ReadDraw(strings.NewReader(d.Document))
	if err != nil {
		return nil, app.Internal(err)
	}
	if doc.WaitingList == nil {
		return nil, nil
	}
	var regs []*app.Registration
	err = s.q(ctx).Where("event_id = ? AND kind = ? AND status IN ?", ev.ID, app.KindPublic,
		[]string{app.RegOffered, app.RegConfirmed, app.RegWaitlisted}).Find(&regs).Error
	if err != nil {
		return nil, s.err(err)
	}
	inPool := map[string]bool{}
	for _, p := range doc.Pool {
		inPool[p.ID] = true
	}
	q := &quotaSeats{doc: doc, waiters: map[string]*app.Registration{}}
	for _, r := range regs {
		switch {
		case !inPool[r.Pseudonym]:
		case r.Status == app.RegWaitlisted:
			q.waiters[r.Pseudonym] = r
		default:
			q.holders = append(q.holders, r.Pseudonym)
		}
	}
	return q, nil
}

// seated records that w got a seat.
func (q *quotaSeats) seated(w *app.Registration) {
	delete(q.waiters, w.Pseudonym)
	q.holders = append(q.holders, w.Pseudonym)
}

// quotaWaiter picks who gets a free seat of a drawn selection event with
// quotas: the first person on the waiting list of the draw whose selection
// keeps the quotas satisfied, given the people who hold a seat now
// (selection.NextReplacement). It returns nil when nobody waits. Call
// inside Tx after LockEvent, so two instances never pick for the same seat.
func (s *Store) quotaWaiter(ctx context.Context, ev *app.Event, q *quotaSeats, actor *app.User) (*app.Registration, error) {
	if len(q.waiters) == 0 {
		return nil, nil
	}
	var exclude []string
	for _, id := range q.doc.WaitingList {
		if q.waiters[id] == nil {
			exclude = append(exclude, id)
		}
	}
	// "" stands for the seat that was given back: NextReplacement fills
	// the panel of the current holders plus one.
	holders := append([]string{""}, q.holders...)
	rep, err := selection.NextReplacement(q.doc, holders, "", exclude...)
	if err != nil {
		return nil, app.Internal(err)
	}
	w := q.waiters[rep.ID]
	if w == nil {
		return nil, app.Internal(errSeatAccounting)
	}
	err = s.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditSelectionReplacement, ObjectType: "event", ObjectID: itoa(ev.ID),
		Details: map[string]any{"waiting_list_position": rep.Position + 1, "quotas_kept": rep.QuotasKept, "violations": len(rep.Violations)}})
	return w, err
}
