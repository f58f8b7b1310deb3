package store

import (
	"context"

	"github.com/mitwirken/mitwirken/app"
)

// PersonalSelectionAnswer is an answer to an organisers' own quota category
// (part of "Meine Daten").
type PersonalSelectionAnswer struct {
	Event    string `json:"event"`
	Category string `json:"category"`
	Value    string `json:"value"`
}

func (s *Store) personalSelectionAnswers(ctx context.Context, userID int64) ([]PersonalSelectionAnswer, error) {
	out := []PersonalSelectionAnswer{}
	err := s.scanRaw(ctx, &out, `SELECT e.title AS event, c.name AS category, a.value AS value
		FROM selection_answers a
		JOIN event_registrations r ON r.id = a.registration_id
		JOIN selection_categories c ON c.id = a.category_id
		JOIN events e ON e.id = r.event_id
		WHERE r.user_id = ? ORDER BY e.id, c.position, c.id`, userID)
	return out, s.err(err)
}

// eraseSelectionAnswers is the erase step of the selection: the answers to
// free quota categories go with the account. It runs before the event
// registrations lose their link to the account.
func (s *Store) eraseSelectionAnswers(u *app.User) func(context.Context) error {
	return func(ctx context.Context) error {
		return s.err(s.q(ctx).Exec(`DELETE FROM selection_answers WHERE registration_id IN
			(SELECT id FROM event_registrations WHERE user_id = ?)`, u.ID).Error)
	}
}
