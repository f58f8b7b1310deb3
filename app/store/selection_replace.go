package store

import (
	"context"
	"strings"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/selection"
)

// quotaWaiter picks who gets a free seat of a drawn selection event with
// quotas (or the household rule): the first person on the waiting list of
// the draw whose selection keeps the quotas satisfied, given the people who
// hold a seat now (selection.NextReplacement). handled is false for every
// other event, which then fills seats in plain waiting-list order. Call
// inside Tx after LockEvent: the seat holders and waiters cannot change
// under the exclusive lock, so two instances never pick for the same seat.
func (s *Store) quotaWaiter(ctx context.Context, ev *app.Event, actor *app.User) (*app.Registration, bool, error) {
	if ev.Allocation != app.AllocSelection || ev.DrawStatus != app.DrawDone {
		return nil, false, nil
	}
	d, err := s.DrawOf(ctx, ev.ID)
	if err != nil {
		return nil, false, err
	}
	doc, err := selection.ReadDraw(strings.NewReader(d.Document))
	if err != nil {
		return nil, false, app.Internal(err)
	}
	if !docHasQuotas(doc) || doc.WaitingList == nil {
		return nil, false, nil
	}
	var regs []*app.Registration
	err = s.q(ctx).Where("event_id = ? AND kind = ? AND status IN ?", ev.ID, app.KindPublic,
		[]string{app.RegOffered, app.RegConfirmed, app.RegWaitlisted}).Find(&regs).Error
	if err != nil {
		return nil, false, s.err(err)
	}
	inPool := map[string]bool{}
	for _, p := range doc.Pool {
		inPool[p.ID] = true
	}
	waiters := map[string]*app.Registration{}
	// "" stands for the seat that was given back: NextReplacement fills
	// the panel of the current holders plus one.
	holders := []string{""}
	for _, r := range regs {
		switch {
		case !inPool[r.Pseudonym]:
		case r.Status == app.RegWaitlisted:
			waiters[r.Pseudonym] = r
		default:
			holders = append(holders, r.Pseudonym)
		}
	}
	var exclude []string
	for _, id := range doc.WaitingList {
		if waiters[id] == nil {
			exclude = append(exclude, id)
		}
	}
	if len(waiters) == 0 {
		return nil, true, nil
	}
	rep, err := selection.NextReplacement(doc, holders, "", exclude...)
	if err != nil {
		return nil, false, app.Internal(err)
	}
	w := waiters[rep.ID]
	if w == nil {
		return nil, false, app.Internal(errSeatAccounting)
	}
	err = s.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditSelectionReplacement, ObjectType: "event", ObjectID: itoa(ev.ID),
		Details: map[string]any{"waiting_list_position": rep.Position + 1, "quotas_kept": rep.QuotasKept, "violations": len(rep.Violations)}})
	return w, true, err
}

func docHasQuotas(d *selection.Draw) bool {
	if len(d.Categories) > 0 {
		return true
	}
	for _, p := range d.Pool {
		if p.HouseholdHash != "" {
			return true
		}
	}
	return false
}
