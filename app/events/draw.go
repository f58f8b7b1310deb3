package events

import (
	"bytes"
	"context"
	"errors"
	"strings"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/selection"
	"github.com/mitwirken/mitwirken/app/store"
)

// PanelListSize is the number of panels published before the seed picks one.
const PanelListSize = 1000

// AnnounceDraw ends the application phase of a selection event: the pool of
// applicants is frozen under pseudonymous ids, the lottery computed (through
// the Drawer seam) and the draw record published with the pool hash and the
// announced source of the seed, before anybody can know the seed.
func (s *Service) AnnounceDraw(ctx context.Context, actor *app.User, eventID int64, in app.DrawAnnounceInput) (*app.EventDraw, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	ev, err := s.Store.EventByID(ctx, eventID)
	if err != nil {
		return nil, err
	}
	if ev.Allocation != app.AllocSelection {
		return nil, app.Errorf(app.CodeConflict, "events.draw_not_selection")
	}
	d, ids, err := s.computeDraw(ctx, ev, in)
	if err != nil {
		return nil, err
	}
	if err := s.Store.AnnounceDraw(ctx, actor, d, ids); err != nil {
		return nil, err
	}
	return d, nil
}

// computeDraw freezes the current applicants into a pool (with the quota
// categories and households of the event), computes the lottery through
// the Drawer seam, rounds it to the published list and builds the record.
func (s *Service) computeDraw(ctx context.Context, ev *app.Event, in app.DrawAnnounceInput) (*app.EventDraw, []string, error) {
	fp, err := s.BuildPool(ctx, s.Store, ev)
	if err != nil {
		return nil, nil, err
	}
	if len(fp.Pool.People) == 0 {
		return nil, nil, app.FieldInvalid("seed_source", "events.draw_no_applicants")
	}
	dist, err := s.Drawer(ctx, fp.Pool, fp.Seats, fp.Algorithm)
	if err != nil {
		var inf *selection.Infeasibility
		if errors.As(err, &inf) {
			return nil, nil, &InfeasibleError{Changes: ChangeMessages(inf)}
		}
		return nil, nil, app.Internal(err)
	}
	list, err := selection.Round(dist, PanelListSize)
	if err != nil {
		return nil, nil, app.Internal(err)
	}
	draw, err := selection.NewDraw(fp.Pool, dist, list)
	if err != nil {
		return nil, nil, app.Internal(err)
	}
	doc, err := drawDocument(draw)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]string, 0, len(fp.Pool.People))
	for _, p := range fp.Pool.People {
		ids = append(ids, p.ID)
	}
	d := &app.EventDraw{EventID: ev.ID, Algorithm: string(dist.Algorithm), SeedSource: in.SeedSource, PoolSize: len(ids), Seats: fp.Seats,
		PoolHash: draw.PoolHash, PanelsHash: draw.PanelsHash, Document: doc}
	return d, ids, nil
}

func drawDocument(d *selection.Draw) (string, error) {
	var buf bytes.Buffer
	if err := selection.WriteDraw(&buf, d); err != nil {
		return "", app.Internal(err)
	}
	return buf.String(), nil
}

// RunDraw applies the announced seed: the chosen panel gets offers to confirm
// by the event's deadline, the others the waiting list in the order of the
// same draw. The updated DRAW.json is stored for anybody to verify.
func (s *Service) RunDraw(ctx context.Context, actor *app.User, eventID int64, in app.DrawInput) (*store.DrawResult, error) {
	witnesses, err := in.Validate()
	if err != nil {
		return nil, err
	}
	d, err := s.Store.DrawOf(ctx, eventID)
	if app.ErrorCode(err) == app.CodeNotFound {
		return nil, app.Errorf(app.CodeConflict, "events.draw_not_announced")
	}
	if err != nil {
		return nil, err
	}
	if d.Seed != nil {
		return nil, app.Errorf(app.CodeConflict, "events.draw_already_done")
	}
	draw, err := selection.ReadDraw(strings.NewReader(d.Document))
	if err != nil {
		return nil, app.Internal(err)
	}
	if err := draw.Finalize(in.Seed, d.SeedSource, witnesses); err != nil {
		return nil, app.Internal(err)
	}
	if err := selection.Verify(draw); err != nil {
		return nil, app.Internal(err)
	}
	ev, err := s.Store.EventByID(ctx, eventID)
	if err != nil {
		return nil, err
	}
	confirmBy := store.OfferDeadline(ev, s.Store.Now(), ev.ConfirmHours)
	seed := in.Seed
	d.Seed, d.Witnesses, d.ChosenIndex, d.ConfirmBy = &seed, strings.Join(witnesses, "\n"), draw.ChosenIndex, &confirmBy
	if d.Document, err = drawDocument(draw); err != nil {
		return nil, err
	}
	var res *store.DrawResult
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		if res, err = tx.ApplyDraw(ctx, actor, d, draw.Selected, draw.WaitingList); err != nil {
			return err
		}
		all := append(append([]*app.Registration{}, res.Selected...), res.Waiting...)
		rcs, err := s.recipients(ctx, tx, all)
		if err != nil {
			return err
		}
		for _, r := range res.Selected {
			if rc, ok := rcs[r.ID]; ok {
				data := s.registrationData(res.Event, r, rc)
				data["Selected"] = true
				if err := s.Mail.Queue(ctx, tx, "event_offer", rc.to, data); err != nil {
					return err
				}
			}
		}
		movedUp := map[int64]bool{}
		for _, r := range res.Filled {
			movedUp[r.ID] = true
		}
		pos := 0
		for _, r := range res.Waiting {
			if movedUp[r.ID] {
				continue // got the seat of a selected applicant who had withdrawn
			}
			pos++
			if rc, ok := rcs[r.ID]; ok {
				if err := s.queueStatusMail(ctx, tx, res.Event, r, rc, pos); err != nil {
					return err
				}
			}
		}
		return s.notifyFilled(ctx, tx, res.Event, res.Filled)
	})
	if err != nil {
		return nil, err
	}
	s.wake()
	return res, nil
}
