package store

import (
	"context"
	"strings"

	"github.com/mitwirken/mitwirken/app"
)

// Invitations lists an event's invited organisations, by name.
func (s *Store) Invitations(ctx context.Context, eventID int64) ([]*app.Invitation, error) {
	var out []*app.Invitation
	err := s.q(ctx).Where("event_id = ?", eventID).Order("lower(organisation), id").Find(&out).Error
	return out, s.err(err)
}

// InvitationByID loads one invitation.
func (s *Store) InvitationByID(ctx context.Context, id int64) (*app.Invitation, error) {
	var inv app.Invitation
	if err := s.q(ctx).First(&inv, id).Error; err != nil {
		return nil, s.err(err)
	}
	return &inv, nil
}

// InvitationByToken finds an invitation by the hash of its link.
func (s *Store) InvitationByToken(ctx context.Context, tokenHash string) (*app.Invitation, error) {
	var inv app.Invitation
	if err := s.q(ctx).Where("token_hash = ?", tokenHash).First(&inv).Error; err != nil {
		return nil, s.err(err)
	}
	return &inv, nil
}

// InvitedSeats sums the seats of an event's invitations that are not revoked.
func (s *Store) InvitedSeats(ctx context.Context, eventID int64) (int, error) {
	var n *int64
	err := s.q(ctx).Model(&app.Invitation{}).Select("SUM(seats)").Where("event_id = ? AND revoked_at IS NULL", eventID).Scan(&n).Error
	if err != nil || n == nil {
		return 0, s.err(err)
	}
	return int(*n), nil
}

// InvitedOrganisations returns the lower-cased names already invited.
func (s *Store) InvitedOrganisations(ctx context.Context, eventID int64) (map[string]bool, error) {
	var names []string
	if err := s.q(ctx).Model(&app.Invitation{}).Where("event_id = ?", eventID).Pluck("organisation", &names).Error; err != nil {
		return nil, s.err(err)
	}
	out := map[string]bool{}
	for _, n := range names {
		out[strings.ToLower(n)] = true
	}
	return out, nil
}

// CreateInvitation stores one invitation (inside the import's transaction).
func (s *Store) CreateInvitation(ctx context.Context, inv *app.Invitation) error {
	now := s.Now()
	inv.CreatedAt, inv.SentAt = now, &now
	return s.err(s.q(ctx).Create(inv).Error)
}

// RenewInvitation replaces the link of an invitation that was not used yet.
func (s *Store) RenewInvitation(ctx context.Context, id int64, tokenHash string) error {
	return s.updateOpenInvitation(ctx, id, map[string]any{"token_hash": tokenHash, "sent_at": s.Now()}, app.CodeConflict, "events.invitation_not_open")
}

// RevokeInvitation withdraws an invitation that was not used yet.
func (s *Store) RevokeInvitation(ctx context.Context, id int64) error {
	return s.updateOpenInvitation(ctx, id, map[string]any{"revoked_at": s.Now()}, app.CodeConflict, "events.invitation_not_open")
}

// UseInvitation redeems an invitation link exactly once.
func (s *Store) UseInvitation(ctx context.Context, id int64) error {
	return s.updateOpenInvitation(ctx, id, map[string]any{"used_at": s.Now()}, app.CodeGone, "events.invitation_used")
}

// updateOpenInvitation changes an invitation only while it is neither used
// nor revoked; otherwise it fails with the given code and message.
func (s *Store) updateOpenInvitation(ctx context.Context, id int64, fields map[string]any, code app.Code, msg string) error {
	res := s.q(ctx).Model(&app.Invitation{}).Where("id = ? AND used_at IS NULL AND revoked_at IS NULL", id).Updates(fields)
	if res.Error != nil {
		return s.err(res.Error)
	}
	if res.RowsAffected == 0 {
		return app.Errorf(code, msg)
	}
	return nil
}
