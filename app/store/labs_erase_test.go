package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/labs"
	"github.com/mitwirken/mitwirken/app/store"
)

// fillLabData makes u a member of a lab, with a card, a dot and presence
// on its board.
func fillLabData(t *testing.T, s *store.Store, u *app.User) {
	t.Helper()
	ctx := context.Background()
	l := &app.Lab{Title: fmt.Sprintf("Lab %d", u.ID), Theme: "Energie", Description: "x", Status: app.LabActive, Open: true}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.CreateLab(ctx, l, u.ID))
	b := &app.Board{LabID: l.ID, Title: "Pinnwand", VotesPerPerson: 3, VotesRevealed: true}
	must(s.CreateBoard(ctx, b, []string{"Ideen"}))
	cols, err := s.BoardColumns(ctx, b.ID)
	must(err)
	svc := &labs.Service{Store: s}
	v := labs.Viewer{UserID: u.ID, Host: true, Write: true}
	text := "Karte zum Erhalten"
	_, err = svc.Apply(ctx, b.ID, v, labs.Op{Type: labs.OpCardCreate, OpID: "c", ColumnID: cols[0].ID, Text: &text})
	must(err)
	_, err = svc.Apply(ctx, b.ID, v, labs.Op{Type: labs.OpBoardUpdate, OpID: "p", Phase: app.PhaseVote})
	must(err)
	cards, err := s.BoardCards(ctx, b.ID)
	must(err)
	_, err = svc.Apply(ctx, b.ID, v, labs.Op{Type: labs.OpVoteAdd, OpID: "v", CardID: cards[0].ID})
	must(err)
	must(s.SetPresence(ctx, b.ID, u.ID, "instanz-1", 1))
}

// checkLabErasure: memberships and presence of the erased account are gone,
// its cards stay on the board under the nameless tombstone; the other
// person keeps everything.
func checkLabErasure(t *testing.T, s *store.Store, erased, other *app.User) {
	t.Helper()
	count := func(table, where string, args ...any) int64 {
		var n int64
		if err := s.Gorm().Table(table).Where(where, args...).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, table := range []string{"lab_members", "board_presence"} {
		if n := count(table, "user_id = ?", erased.ID); n != 0 {
			t.Errorf("%d rows of the erased account in %s", n, table)
		}
		if n := count(table, "user_id = ?", other.ID); n != 1 {
			t.Errorf("the other account has %d rows in %s", n, table)
		}
	}
	if n := count("board_cards", "author_id = ? AND body = ?", erased.ID, "Karte zum Erhalten"); n != 1 {
		t.Errorf("the erased account's card is gone (%d)", n)
	}
	svc := &labs.Service{Store: s}
	if name := svc.Names(context.Background(), []int64{erased.ID})[erased.ID]; name != "" {
		t.Errorf("the card's author is still named %q", name)
	}
	if name := svc.Names(context.Background(), []int64{other.ID})[other.ID]; name != other.DisplayName {
		t.Errorf("the other author is named %q", fmt.Sprint(name))
	}
}
