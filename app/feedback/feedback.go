// Package feedback takes messages from the accessibility statement's feedback
// form and the contact form and passes them to the admins.
package feedback

import (
	"context"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/mail"
	"github.com/mitwirken/mitwirken/app/store"
)

// Service stores feedback and tells the admins.
type Service struct {
	Store *store.Store
	Mail  *mail.Composer
	// ContactEmail, when set, receives a copy (e.g. the team's shared mailbox).
	ContactEmail string
	WakeMail     func()
}

// Submit validates and stores a message and mails every admin.
func (s *Service) Submit(ctx context.Context, in app.FeedbackInput, from *app.User) error {
	in.Clean()
	if err := in.Validate(); err != nil {
		return err
	}
	f := &app.Feedback{Kind: in.Kind, Name: in.Name, Email: in.Email, PageURL: in.PageURL, Message: in.Message}
	if from != nil {
		id := from.ID
		f.UserID = &id
	}
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateFeedback(ctx, f); err != nil {
			return err
		}
		admins, err := tx.UsersWithRole(ctx, app.RoleAdmin)
		if err != nil {
			return err
		}
		data := map[string]any{"Kind": f.Kind, "ID": f.ID}
		for _, a := range admins {
			if err := s.Mail.Queue(ctx, tx, "feedback_received", mail.To(a), data); err != nil {
				return err
			}
		}
		if s.ContactEmail != "" {
			return s.Mail.Queue(ctx, tx, "feedback_received", mail.Recipient{Email: s.ContactEmail, Lang: "de"}, data)
		}
		return nil
	})
	if err == nil && s.WakeMail != nil {
		s.WakeMail()
	}
	return err
}
