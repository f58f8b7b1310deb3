package store

import (
	"context"

	"github.com/mitwirken/mitwirken/app"
)

// EraseUser deletes an account's personal data at once (DSGVO Art. 17). The
// user row stays as a tombstone without any personal field, so that public
// contributions remain in the record under "gelöschtes Konto".
//
// Every feature that stores personal data adds its step to eraseSteps and a
// check to the erasure test (app/store/erase_test.go).
func (s *Store) EraseUser(ctx context.Context, actor *app.User, userID int64) error {
	return s.Tx(ctx, func(tx *Store) error {
		u, err := tx.UserByID(ctx, userID)
		if err != nil {
			return err
		}
		if u.Erased() {
			return nil
		}
		for _, step := range tx.eraseSteps(u) {
			if err := step(ctx); err != nil {
				return err
			}
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditUserErase, ObjectType: "user", ObjectID: itoa(userID)})
	})
}

func (s *Store) eraseSteps(u *app.User) []func(context.Context) error {
	deleteWhere := func(model any, where string, args ...any) func(context.Context) error {
		return func(ctx context.Context) error { return s.err(s.q(ctx).Where(where, args...).Delete(model).Error) }
	}
	return []func(context.Context) error{
		deleteWhere(&app.Session{}, "user_id = ?", u.ID),
		deleteWhere(&app.UserToken{}, "user_id = ?", u.ID),
		deleteWhere(&app.APIToken{}, "user_id = ?", u.ID),
		deleteWhere(&app.Identity{}, "user_id = ?", u.ID),
		deleteWhere(&app.Feedback{}, "user_id = ?", u.ID),
		deleteWhere(&app.OutboxMessage{}, "user_id = ? OR to_addr = ?", u.ID, u.EmailAddress()),
		s.eraseLabs(u),
		func(ctx context.Context) error { return s.eraseContributionData(ctx, u.ID) },
		func(ctx context.Context) error { return s.eraseAbwaegungData(ctx, u.ID) },
		s.eraseSelectionAnswers(u), // before the registrations lose the account
		s.eraseEventRegistrations(u),
		s.eraseExportFiles(),
		// Answers to account-bound surveys (issue 15), answers first.
		func(ctx context.Context) error {
			return s.err(s.q(ctx).Exec("DELETE FROM survey_answers WHERE response_id IN (SELECT id FROM survey_responses WHERE user_id = ?)", u.ID).Error)
		},
		deleteWhere(&app.SurveyResponse{}, "user_id = ?", u.ID),
		// Following and notifications (issue 15): the notifications before
		// the digests they point to.
		deleteWhere(&app.Notification{}, "user_id = ?", u.ID),
		deleteWhere(&app.Follow{}, "user_id = ?", u.ID),
		deleteWhere(&app.NotifyPref{}, "user_id = ?", u.ID),
		func(ctx context.Context) error {
			return s.err(s.q(ctx).Exec("DELETE FROM notify_digests WHERE user_id = ?", u.ID).Error)
		},
		func(ctx context.Context) error {
			now := s.Now()
			return s.err(s.q(ctx).Model(&app.User{}).Where("id = ?", u.ID).Updates(map[string]any{
				"email": nil, "email_verified_at": nil, "display_name": "", "password_hash": nil,
				"ortsteil_code": nil, "role": app.RoleCitizen, "locale": "de",
				"privacy_consent_at": nil, "privacy_version": "", "updated_at": now, "erased_at": now,
			}).Error)
		},
	}
}
