package store

import (
	"context"
	"time"

	"github.com/mitwirken/mitwirken/app"
)

// AuditQuery filters the audit log view of the admin area.
type AuditQuery struct {
	Action   string
	ActorID  int64
	From, To *time.Time // at in [From, To)
	Page     int
	PerPage  int
}

// AuditEntries returns a page of the audit log, newest first, and the total.
func (s *Store) AuditEntries(ctx context.Context, f AuditQuery) ([]app.AuditEntry, int64, error) {
	q := s.q(ctx).Model(&app.AuditEntry{})
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.ActorID != 0 {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if f.From != nil {
		q = q.Where("at >= ?", *f.From)
	}
	if f.To != nil {
		q = q.Where("at < ?", *f.To)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, s.err(err)
	}
	var out []app.AuditEntry
	err := paginate(q.Order("id DESC"), f.Page, f.PerPage).Find(&out).Error
	return out, total, s.err(err)
}

// AuditActions lists the actions that occur in the log.
func (s *Store) AuditActions(ctx context.Context) ([]string, error) {
	var out []string
	err := s.q(ctx).Model(&app.AuditEntry{}).Distinct("action").Order("action").Pluck("action", &out).Error
	return out, s.err(err)
}

// UserNames maps account ids to their public names (display names; ""
// after erasure).
func (s *Store) UserNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var users []app.User
	if err := s.q(ctx).Select("id, display_name, erased_at").Where("id IN ?", ids).Find(&users).Error; err != nil {
		return nil, s.err(err)
	}
	for _, u := range users {
		if u.ErasedAt == nil {
			out[u.ID] = u.DisplayName
		}
	}
	return out, nil
}
