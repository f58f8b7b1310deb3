package store

import (
	"context"

	"github.com/mitwirken/mitwirken/app"
)

// EventFigures are the participation figures of one event.
type EventFigures struct {
	Event  *app.Event
	Counts EventCounts
}

// AllEventFigures lists every event that is not a draft, oldest first,
// with its registrations by status.
func (s *Store) AllEventFigures(ctx context.Context) ([]EventFigures, error) {
	var events []*app.Event
	err := s.q(ctx).Where("status <> ?", app.EventDraft).Order("starts_at, id").Limit(5000).Find(&events).Error
	if err != nil {
		return nil, s.err(err)
	}
	ids := make([]int64, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	counts, err := s.CountRegistrations(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]EventFigures, len(events))
	for i, e := range events {
		out[i] = EventFigures{Event: e, Counts: counts[e.ID]}
	}
	return out, nil
}

// BezirkFigures are the contributions and participants of a Stadtbezirk.
type BezirkFigures struct {
	Code          string
	Contributions int
	Participants  int
}

// FiguresByBezirk counts per Stadtbezirk the contributions (by the Ortsteil
// they concern) and the participants (accounts living there that wrote a
// contribution or hold a confirmed seat). Keyed by Stadtbezirk code.
func (s *Store) FiguresByBezirk(ctx context.Context) (map[string]*BezirkFigures, error) {
	out := map[string]*BezirkFigures{}
	get := func(code string) *BezirkFigures {
		if out[code] == nil {
			out[code] = &BezirkFigures{Code: code}
		}
		return out[code]
	}
	var rows []struct {
		Code string
		N    int
	}
	err := s.q(ctx).Table("contributions AS c").Select("o.stadtbezirk_code AS code, COUNT(*) AS n").
		Joins("JOIN ortsteile o ON o.code = c.ortsteil_code").
		Where("c.status NOT IN ?", []string{app.StatusRejected, app.StatusWithdrawn}).
		Group("o.stadtbezirk_code").Scan(&rows).Error
	if err != nil {
		return nil, s.err(err)
	}
	for _, r := range rows {
		get(r.Code).Contributions = r.N
	}
	rows = rows[:0]
	err = s.q(ctx).Table("users AS u").Select("o.stadtbezirk_code AS code, COUNT(*) AS n").
		Joins("JOIN ortsteile o ON o.code = u.ortsteil_code").
		Where("u.erased_at IS NULL AND (EXISTS (SELECT 1 FROM contributions c WHERE c.author_id = u.id) OR EXISTS (SELECT 1 FROM event_registrations r WHERE r.user_id = u.id AND r.status = ?))", app.RegConfirmed).
		Group("o.stadtbezirk_code").Scan(&rows).Error
	if err != nil {
		return nil, s.err(err)
	}
	for _, r := range rows {
		get(r.Code).Participants = r.N
	}
	return out, nil
}
