package store

import (
	"context"

	"github.com/mitwirken/mitwirken/app"
)

// RegistrationsByResidence counts the active registrations per Ortsteil of
// residence, as the registrants stated it in the selection questions with
// their consent (answer_ortsteil); registrations without it are not counted.
func (s *Store) RegistrationsByResidence(ctx context.Context) (map[string]int, error) {
	var rows []struct {
		Code string
		N    int
	}
	err := s.q(ctx).Table("event_registrations").Select("answer_ortsteil AS code, COUNT(*) AS n").
		Where("answers_consent = ? AND answer_ortsteil <> '' AND status IN ?", true,
			[]string{app.RegConfirmed, app.RegOffered, app.RegWaitlisted, app.RegApplied}).
		Group("answer_ortsteil").Scan(&rows).Error
	if err != nil {
		return nil, s.err(err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Code] = r.N
	}
	return out, nil
}
