package store

import (
	"context"

	"github.com/mitwirken/mitwirken/app"
)

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
