package store

import (
	"context"
	"time"

	"github.com/mitwirken/mitwirken/app"
)

// PersonalLabs is the future.labs part of "Meine Daten".
type PersonalLabs struct {
	Memberships []PersonalLabMembership `json:"memberships"`
	Proposals   []PersonalLabProposal   `json:"proposals"`
	Cards       []PersonalCard          `json:"cards"`
	Votes       []PersonalVote          `json:"votes"`
}

// PersonalLabMembership is a lab the person belongs to.
type PersonalLabMembership struct {
	Lab      string    `json:"lab"`
	Role     string    `json:"role"`
	JoinedAt time.Time `json:"joined_at"`
}

// PersonalLabProposal is a lab the person proposed.
type PersonalLabProposal struct {
	Lab       string    `json:"lab"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
}

// PersonalCard is a card the person wrote.
type PersonalCard struct {
	Lab       string    `json:"lab"`
	Board     string    `json:"board"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
}

// PersonalVote is a dot the person put on a card.
type PersonalVote struct {
	Board     string    `json:"board"`
	Card      string    `json:"card"`
	CreatedAt time.Time `json:"created_at"`
}

func (s *Store) personalLabs(ctx context.Context, userID int64) (*PersonalLabs, error) {
	d := &PersonalLabs{Memberships: []PersonalLabMembership{}, Proposals: []PersonalLabProposal{}, Cards: []PersonalCard{}, Votes: []PersonalVote{}}
	steps := []func() error{
		func() error {
			return s.q(ctx).Table("lab_members m").Select("l.title AS lab, m.role, m.created_at AS joined_at").
				Joins("JOIN labs l ON l.id = m.lab_id").Where("m.user_id = ?", userID).Order("m.created_at").Scan(&d.Memberships).Error
		},
		func() error {
			return s.q(ctx).Table("labs").Select("title AS lab, status, created_at").Where("proposed_by = ?", userID).Order("id").Scan(&d.Proposals).Error
		},
		func() error {
			return s.q(ctx).Table("board_cards c").Select("l.title AS lab, b.title AS board, c.body AS text, c.created_at").
				Joins("JOIN boards b ON b.id = c.board_id").Joins("JOIN labs l ON l.id = b.lab_id").
				Where("c.author_id = ?", userID).Order("c.id").Scan(&d.Cards).Error
		},
		func() error {
			return s.q(ctx).Table("board_votes v").Select("b.title AS board, c.body AS card, v.created_at").
				Joins("JOIN boards b ON b.id = v.board_id").Joins("JOIN board_cards c ON c.id = v.card_id").
				Where("v.user_id = ?", userID).Order("v.id").Scan(&d.Votes).Error
		},
	}
	for _, st := range steps {
		if err := st(); err != nil {
			return nil, s.err(err)
		}
	}
	return d, nil
}

// eraseLabs removes what future.labs keep about a person: memberships and
// presence. Cards stay on their boards without the author's name (the erased
// account has none: "gelöschtes Konto"); dots stay as anonymous counts.
func (s *Store) eraseLabs(u *app.User) func(context.Context) error {
	return func(ctx context.Context) error {
		if err := s.q(ctx).Where("user_id = ?", u.ID).Delete(&app.LabMember{}).Error; err != nil {
			return s.err(err)
		}
		return s.err(s.q(ctx).Where("user_id = ?", u.ID).Delete(&boardPresence{}).Error)
	}
}
