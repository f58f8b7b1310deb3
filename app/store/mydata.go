package store

import (
	"context"
	"time"

	"github.com/mitwirken/mitwirken/app"
)

// PersonalData is everything stored about one person (DSGVO Art. 15 and 20),
// as downloaded from "Meine Daten". Every feature that stores personal data
// adds its part here and to the test that checks the download.
type PersonalData struct {
	GeneratedAt time.Time          `json:"generated_at"`
	Account     PersonalAccount    `json:"account"`
	Sessions    []PersonalSession  `json:"sessions"`
	Identities  []PersonalIdentity `json:"linked_logins"`
	APITokens   []PersonalToken    `json:"api_tokens"`
	Feedback    []PersonalFeedback `json:"feedback_messages"`
	Mails       []PersonalMail     `json:"mails"`
	Labs        *PersonalLabs      `json:"future_labs"`
	// Contributions, reports and supports of the draft (contributions.go).
	Contributions []PersonalContribution `json:"contributions"`
	Reports       []PersonalReport       `json:"contribution_reports"`
	Supports      []PersonalSupport      `json:"contribution_supports"`

	Events []PersonalRegistration `json:"event_registrations"` // app/store/events_erase.go
	// Answers to the organisers' own quota categories (selection_personal.go).
	SelectionAnswers []PersonalSelectionAnswer `json:"selection_answers"`
	// Roles, Fachamt memberships and work in the Abwägung (abwaegung_personal.go).
	Abwaegung *PersonalAbwaegung `json:"abwaegung"`
	// Follows, notifications and e-mail choices (notify_personal.go).
	Notify *PersonalNotify `json:"following_and_notifications"`
}

// PersonalAccount is the account part of PersonalData.
type PersonalAccount struct {
	ID               int64      `json:"id"`
	Email            string     `json:"email"`
	EmailVerifiedAt  *time.Time `json:"email_verified_at"`
	DisplayName      string     `json:"display_name"`
	Ortsteil         string     `json:"ortsteil"`
	Role             app.Role   `json:"role"`
	Locale           string     `json:"locale"`
	PrivacyConsentAt *time.Time `json:"privacy_consent_at"`
	PrivacyVersion   string     `json:"privacy_version"`
	HasPassword      bool       `json:"has_password"`
	CreatedAt        time.Time  `json:"created_at"`
}

// PersonalSession is one login of PersonalData.
type PersonalSession struct {
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	UserAgent  string    `json:"user_agent"`
}

// PersonalIdentity is one linked external login of PersonalData.
type PersonalIdentity struct {
	Provider  string    `json:"provider"`
	Issuer    string    `json:"issuer"`
	Subject   string    `json:"subject"`
	CreatedAt time.Time `json:"created_at"`
}

// PersonalToken is one personal access token (without the secret).
type PersonalToken struct {
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
}

// PersonalFeedback is one message sent through a feedback form.
type PersonalFeedback struct {
	Kind      string    `json:"kind"`
	Message   string    `json:"message"`
	CreatedAt time.Time `json:"created_at"`
}

// PersonalMail is one mail sent to the person.
type PersonalMail struct {
	Subject   string     `json:"subject"`
	Kind      string     `json:"kind"`
	Status    string     `json:"status"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at"`
}

// PersonalData collects everything stored about a person.
func (s *Store) PersonalData(ctx context.Context, userID int64) (*PersonalData, error) {
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	d := &PersonalData{
		GeneratedAt: s.Now(),
		Account: PersonalAccount{
			ID: u.ID, Email: u.EmailAddress(), EmailVerifiedAt: u.EmailVerifiedAt, DisplayName: u.DisplayName,
			Ortsteil: u.Ortsteil(), Role: u.Role, Locale: u.Locale, PrivacyConsentAt: u.PrivacyConsentAt,
			PrivacyVersion: u.PrivacyVersion, HasPassword: u.HasPassword(), CreatedAt: u.CreatedAt,
		},
		Sessions: []PersonalSession{}, Identities: []PersonalIdentity{}, APITokens: []PersonalToken{},
		Feedback: []PersonalFeedback{}, Mails: []PersonalMail{},
	}
	sessions, err := s.UserSessions(ctx, userID)
	if err != nil {
		return nil, err
	}
	for _, x := range sessions {
		d.Sessions = append(d.Sessions, PersonalSession{x.CreatedAt, x.LastSeenAt, x.ExpiresAt, x.UserAgent})
	}
	idents, err := s.UserIdentities(ctx, userID)
	if err != nil {
		return nil, err
	}
	for _, x := range idents {
		d.Identities = append(d.Identities, PersonalIdentity{x.Provider, x.Issuer, x.Subject, x.CreatedAt})
	}
	tokens, err := s.UserAPITokens(ctx, userID)
	if err != nil {
		return nil, err
	}
	for _, x := range tokens {
		d.APITokens = append(d.APITokens, PersonalToken{x.Name, x.CreatedAt, x.LastUsedAt})
	}
	var feedback []app.Feedback
	if err := s.q(ctx).Where("user_id = ?", userID).Order("id").Find(&feedback).Error; err != nil {
		return nil, s.err(err)
	}
	for _, x := range feedback {
		d.Feedback = append(d.Feedback, PersonalFeedback{x.Kind, x.Message, x.CreatedAt})
	}
	var mails []app.OutboxMessage
	if err := s.q(ctx).Where("user_id = ?", userID).Order("id").Find(&mails).Error; err != nil {
		return nil, s.err(err)
	}
	for _, x := range mails {
		d.Mails = append(d.Mails, PersonalMail{x.Subject, x.Kind, x.Status, x.CreatedAt, x.SentAt})
	}
	if d.Labs, err = s.personalLabs(ctx, userID); err != nil {
		return nil, err
	}
	if err := s.personalContributionData(ctx, userID, d); err != nil {
		return nil, err
	}
	if d.Events, err = s.personalRegistrations(ctx, userID); err != nil {
		return nil, err
	}
	if d.SelectionAnswers, err = s.personalSelectionAnswers(ctx, userID); err != nil {
		return nil, err
	}
	if d.Abwaegung, err = s.personalAbwaegung(ctx, userID); err != nil {
		return nil, err
	}
	if d.Notify, err = s.personalNotify(ctx, userID); err != nil {
		return nil, err
	}
	return d, nil
}
