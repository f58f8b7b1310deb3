package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"github.com/mitwirken/mitwirken/app"
)

// BoardNotifyChannel is the PostgreSQL channel that wakes the instances when
// a board got a new event. The payload ("board:seq") is a hint only: the
// listeners read the event log.
const BoardNotifyChannel = "mitwirken_board"

// cardGap is the distance between neighbouring cards after renumbering.
const cardGap = 1024

type duplicateOp struct{ seq int64 }

func (d duplicateOp) Error() string {
	return fmt.Sprintf("operation already applied as event %d", d.seq)
}

// BoardChange runs fn as one change of a board in one transaction:
//  1. it takes the board's next sequence number with an UPDATE, which locks
//     the board row, so the changes of one board queue behind each other on
//     every instance and commit in sequence order; the UPDATE returns the
//     board, so the change costs no second read of it;
//  2. an operation whose key was applied before is not applied again: the
//     first application's sequence number is returned with dup = true;
//  3. fn validates and stores the change and returns the event for the log;
//  4. the event is appended with the sequence number and, on PostgreSQL,
//     NOTIFY (in the same statement) wakes the listeners when the
//     transaction commits.
//
// It returns the event as committed, so that this instance can deliver it
// without reading the log again; for a duplicate only BoardID and Seq are set.
func (s *Store) BoardChange(ctx context.Context, boardID int64, opKey string, actorID *int64,
	fn func(tx *Store, b *app.Board) (kind string, payload any, err error)) (ev app.BoardEvent, dup bool, err error) {
	err = s.Tx(ctx, func(tx *Store) error {
		var b app.Board
		if err := tx.scanRaw(ctx, &b, "UPDATE boards SET last_seq = last_seq + 1 WHERE id = ? RETURNING *", boardID); err != nil {
			return tx.err(err)
		}
		if b.ID == 0 {
			return app.NotFound()
		}
		var prev []int64
		if err := tx.q(ctx).Model(&app.BoardEvent{}).Where("board_id = ? AND op_id = ?", boardID, opKey).Limit(1).Pluck("seq", &prev).Error; err != nil {
			return tx.err(err)
		}
		if len(prev) > 0 {
			return duplicateOp{prev[0]}
		}
		kind, payload, err := fn(tx, &b)
		if err != nil {
			return err
		}
		raw, err := json.Marshal(payload)
		if err != nil {
			return app.Internal(err)
		}
		ev = app.BoardEvent{BoardID: boardID, Seq: b.LastSeq, OpID: opKey, Kind: kind, Payload: string(raw), ActorID: actorID, At: tx.Now()}
		return tx.appendBoardEvent(ctx, &ev)
	})
	var d duplicateOp
	if errors.As(err, &d) {
		return app.BoardEvent{BoardID: boardID, Seq: d.seq}, true, nil
	}
	if err != nil {
		return app.BoardEvent{}, false, err
	}
	return ev, false, nil
}

// appendBoardEvent writes ev to the log; on PostgreSQL the NOTIFY goes in
// the same statement (one round trip less on the path of every change).
func (s *Store) appendBoardEvent(ctx context.Context, ev *app.BoardEvent) error {
	if s.dialect != Postgres {
		return s.err(s.q(ctx).Create(ev).Error)
	}
	return s.err(s.q(ctx).Exec(`WITH e AS (INSERT INTO board_events (board_id, seq, op_id, kind, payload, actor_id, at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING seq)
SELECT pg_notify(?, ?) FROM e`, ev.BoardID, ev.Seq, ev.OpID, ev.Kind, ev.Payload, ev.ActorID, ev.At,
		BoardNotifyChannel, fmt.Sprintf("%d:%d", ev.BoardID, ev.Seq)).Error)
}

// CreateBoard inserts a board with its columns.
func (s *Store) CreateBoard(ctx context.Context, b *app.Board, columns []string) error {
	return s.Tx(ctx, func(tx *Store) error {
		now := tx.Now()
		b.CreatedAt, b.UpdatedAt = now, now
		if b.Phase == "" {
			b.Phase = app.PhaseCollect
		}
		if err := tx.q(ctx).Create(b).Error; err != nil {
			return tx.err(err)
		}
		for i, title := range columns {
			if err := tx.q(ctx).Create(&app.BoardColumn{BoardID: b.ID, Title: title, Position: i + 1, CreatedAt: now}).Error; err != nil {
				return tx.err(err)
			}
		}
		return nil
	})
}

// BoardByID loads a board.
func (s *Store) BoardByID(ctx context.Context, id int64) (*app.Board, error) {
	var b app.Board
	if err := s.q(ctx).First(&b, id).Error; err != nil {
		return nil, s.err(err)
	}
	return &b, nil
}

// LabBoards lists the boards of a lab in creation order.
func (s *Store) LabBoards(ctx context.Context, labID int64) ([]app.Board, error) {
	var out []app.Board
	return out, s.err(s.q(ctx).Where("lab_id = ?", labID).Order("id").Find(&out).Error)
}

// UpdateBoard changes board settings (phase, limits, reveal flags, timer).
func (s *Store) UpdateBoard(ctx context.Context, id int64, fields map[string]any) error {
	fields["updated_at"] = s.Now()
	return s.err(s.q(ctx).Model(&app.Board{}).Where("id = ?", id).Updates(fields).Error)
}

// BoardColumns lists a board's columns in order.
func (s *Store) BoardColumns(ctx context.Context, boardID int64) ([]app.BoardColumn, error) {
	var out []app.BoardColumn
	return out, s.err(s.q(ctx).Where("board_id = ?", boardID).Order("position, id").Find(&out).Error)
}

// ColumnByID loads a column of a board.
func (s *Store) ColumnByID(ctx context.Context, boardID, id int64) (*app.BoardColumn, error) {
	var c app.BoardColumn
	if err := s.q(ctx).Where("board_id = ? AND id = ?", boardID, id).First(&c).Error; err != nil {
		return nil, s.err(err)
	}
	return &c, nil
}

// AddColumn appends a column.
func (s *Store) AddColumn(ctx context.Context, boardID int64, title string) (*app.BoardColumn, error) {
	var n int64
	if err := s.q(ctx).Model(&app.BoardColumn{}).Where("board_id = ?", boardID).Count(&n).Error; err != nil {
		return nil, s.err(err)
	}
	if n >= app.MaxColumns {
		return nil, app.FieldInvalid("title", "labs.too_many_columns", "Max", app.MaxColumns)
	}
	var maxPos int
	if err := s.q(ctx).Model(&app.BoardColumn{}).Where("board_id = ?", boardID).Select("COALESCE(MAX(position), 0)").Scan(&maxPos).Error; err != nil {
		return nil, s.err(err)
	}
	c := &app.BoardColumn{BoardID: boardID, Title: title, Position: maxPos + 1, CreatedAt: s.Now()}
	return c, s.err(s.q(ctx).Create(c).Error)
}

// RenameColumn changes a column's title.
func (s *Store) RenameColumn(ctx context.Context, boardID, id int64, title string) error {
	return s.err(s.q(ctx).Model(&app.BoardColumn{}).Where("board_id = ? AND id = ?", boardID, id).Update("title", title).Error)
}

// DeleteColumn removes an empty column.
func (s *Store) DeleteColumn(ctx context.Context, boardID, id int64) error {
	var n int64
	if err := s.q(ctx).Model(&app.Card{}).Where("column_id = ?", id).Count(&n).Error; err != nil {
		return s.err(err)
	}
	if n > 0 {
		return app.Errorf(app.CodeConflict, "labs.column_not_empty")
	}
	return s.err(s.q(ctx).Where("board_id = ? AND id = ?", boardID, id).Delete(&app.BoardColumn{}).Error)
}

// BoardCards lists every card of a board (visibility is the caller's job).
func (s *Store) BoardCards(ctx context.Context, boardID int64) ([]app.Card, error) {
	var out []app.Card
	return out, s.err(s.q(ctx).Where("board_id = ?", boardID).Order("column_id, position, id").Find(&out).Error)
}

// CardByID loads a card of a board.
func (s *Store) CardByID(ctx context.Context, boardID, id int64) (*app.Card, error) {
	var c app.Card
	if err := s.q(ctx).Where("board_id = ? AND id = ?", boardID, id).First(&c).Error; err != nil {
		return nil, s.err(err)
	}
	return &c, nil
}

// CountCards counts the cards of a board.
func (s *Store) CountCards(ctx context.Context, boardID int64) (int64, error) {
	var n int64
	return n, s.err(s.q(ctx).Model(&app.Card{}).Where("board_id = ?", boardID).Count(&n).Error)
}

// CardPosition is a card's place after a move that renumbered its column.
type CardPosition struct {
	ID       int64   `json:"id"`
	Position float64 `json:"pos"`
}

// PlaceCard finds the position for a card in a column directly before the
// card beforeID (0: at the end). When the gap has become too small, the
// column is renumbered and the new positions of its cards are returned.
func (s *Store) PlaceCard(ctx context.Context, boardID, columnID, beforeID, movingID int64) (float64, []CardPosition, error) {
	if beforeID == 0 {
		var maxPos float64
		err := s.q(ctx).Model(&app.Card{}).Where("column_id = ? AND id <> ?", columnID, movingID).
			Select("COALESCE(MAX(position), 0)").Scan(&maxPos).Error
		return maxPos + cardGap, nil, s.err(err)
	}
	before, err := s.CardByID(ctx, boardID, beforeID)
	if err != nil || before.ColumnID != columnID || before.ID == movingID {
		return 0, nil, app.Errorf(app.CodeInvalid, "labs.move_target_invalid")
	}
	var prev []float64
	if err := s.q(ctx).Model(&app.Card{}).Where("column_id = ? AND id <> ? AND position < ?", columnID, movingID, before.Position).
		Order("position DESC").Limit(1).Pluck("position", &prev).Error; err != nil {
		return 0, nil, s.err(err)
	}
	lo := before.Position - cardGap
	if len(prev) > 0 {
		lo = prev[0]
	}
	if before.Position-lo > 1e-6 {
		return (lo + before.Position) / 2, nil, nil
	}
	// Renumber the column, leaving room before beforeID.
	var cards []app.Card
	if err := s.q(ctx).Where("column_id = ? AND id <> ?", columnID, movingID).Order("position, id").Find(&cards).Error; err != nil {
		return 0, nil, s.err(err)
	}
	var out []CardPosition
	var pos, target float64
	for _, c := range cards {
		pos += cardGap
		if c.ID == beforeID {
			target = pos
			pos += cardGap
		}
		if err := s.q(ctx).Model(&app.Card{}).Where("id = ?", c.ID).Update("position", pos).Error; err != nil {
			return 0, nil, s.err(err)
		}
		out = append(out, CardPosition{c.ID, pos})
	}
	return target, out, nil
}

// InsertCard stores a new card.
func (s *Store) InsertCard(ctx context.Context, c *app.Card) error {
	now := s.Now()
	c.CreatedAt, c.UpdatedAt, c.Version = now, now, 1
	return s.err(s.q(ctx).Create(c).Error)
}

// UpdateCardContent changes text, colour or hidden flag if the card still
// has the version the editor saw; otherwise it is a conflict.
func (s *Store) UpdateCardContent(ctx context.Context, c *app.Card, version int, fields map[string]any) error {
	fields["version"] = version + 1
	fields["updated_at"] = s.Now()
	res := s.q(ctx).Model(&app.Card{}).Where("id = ? AND version = ?", c.ID, version).Updates(fields)
	if res.Error != nil {
		return s.err(res.Error)
	}
	if res.RowsAffected == 0 {
		return app.Errorf(app.CodeConflict, "labs.card_changed")
	}
	return nil
}

// MoveCard puts a card into a column at a position.
func (s *Store) MoveCard(ctx context.Context, id, columnID int64, pos float64) error {
	return s.err(s.q(ctx).Model(&app.Card{}).Where("id = ?", id).Updates(map[string]any{"column_id": columnID, "position": pos, "updated_at": s.Now()}).Error)
}

// DeleteCard removes a card and its dots.
func (s *Store) DeleteCard(ctx context.Context, id int64) error {
	if err := s.q(ctx).Where("card_id = ?", id).Delete(&app.BoardVote{}).Error; err != nil {
		return s.err(err)
	}
	return s.err(s.q(ctx).Delete(&app.Card{}, id).Error)
}

// RevealCards makes every concealed card of a board visible and returns them.
func (s *Store) RevealCards(ctx context.Context, boardID int64) ([]app.Card, error) {
	var cards []app.Card
	if err := s.q(ctx).Where("board_id = ? AND concealed", boardID).Order("id").Find(&cards).Error; err != nil {
		return nil, s.err(err)
	}
	if len(cards) == 0 {
		return nil, nil
	}
	if err := s.q(ctx).Model(&app.Card{}).Where("board_id = ? AND concealed", boardID).Updates(map[string]any{"concealed": false, "updated_at": s.Now()}).Error; err != nil {
		return nil, s.err(err)
	}
	for i := range cards {
		cards[i].Concealed = false
	}
	return cards, nil
}

// MarkCardsHandedOver records that cards went to the contribution pipeline.
func (s *Store) MarkCardsHandedOver(ctx context.Context, ids []int64) error {
	return s.err(s.q(ctx).Model(&app.Card{}).Where("id IN ?", ids).Update("handed_over_at", s.Now()).Error)
}

// UserVotesOnBoard counts a person's dots on the board's visible cards.
func (s *Store) UserVotesOnBoard(ctx context.Context, boardID, userID int64) (int, error) {
	var n int64
	err := s.q(ctx).Table("board_votes v").Joins("JOIN board_cards c ON c.id = v.card_id").
		Where("v.board_id = ? AND v.user_id = ? AND NOT c.hidden", boardID, userID).Count(&n).Error
	return int(n), s.err(err)
}

// AddVote puts one dot of userID on a card.
func (s *Store) AddVote(ctx context.Context, boardID, cardID, userID int64) error {
	return s.err(s.q(ctx).Create(&app.BoardVote{BoardID: boardID, CardID: cardID, UserID: userID, CreatedAt: s.Now()}).Error)
}

// RemoveVote takes one of userID's dots off a card; false when there is none.
func (s *Store) RemoveVote(ctx context.Context, cardID, userID int64) (bool, error) {
	var ids []int64
	if err := s.q(ctx).Model(&app.BoardVote{}).Where("card_id = ? AND user_id = ?", cardID, userID).Order("id DESC").Limit(1).Pluck("id", &ids).Error; err != nil {
		return false, s.err(err)
	}
	if len(ids) == 0 {
		return false, nil
	}
	return true, s.err(s.q(ctx).Delete(&app.BoardVote{}, ids[0]).Error)
}

// CardVotes is the number of dots on a card in total and from one person.
func (s *Store) CardVotes(ctx context.Context, cardID, userID int64) (total, mine int, err error) {
	var rows []struct {
		UserID int64
		N      int
	}
	if err := s.q(ctx).Table("board_votes").Select("user_id, count(*) AS n").Where("card_id = ?", cardID).Group("user_id").Scan(&rows).Error; err != nil {
		return 0, 0, s.err(err)
	}
	for _, r := range rows {
		total += r.N
		if r.UserID == userID {
			mine = r.N
		}
	}
	return total, mine, nil
}

// CardVoters maps each voter of a card to their number of dots.
func (s *Store) CardVoters(ctx context.Context, cardID int64) (map[int64]int, error) {
	var rows []struct {
		UserID int64
		N      int
	}
	err := s.q(ctx).Table("board_votes").Select("user_id, count(*) AS n").Where("card_id = ?", cardID).Group("user_id").Scan(&rows).Error
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.UserID] = r.N
	}
	return out, s.err(err)
}

// BoardVoteTotals maps each card of a board to its number of dots.
func (s *Store) BoardVoteTotals(ctx context.Context, boardID int64) (map[int64]int, error) {
	return s.voteCounts(ctx, "board_id = ?", boardID)
}

// BoardUserVotes maps each card to the dots one person put on it.
func (s *Store) BoardUserVotes(ctx context.Context, boardID, userID int64) (map[int64]int, error) {
	return s.voteCounts(ctx, "board_id = ? AND user_id = ?", boardID, userID)
}

func (s *Store) voteCounts(ctx context.Context, where string, args ...any) (map[int64]int, error) {
	var rows []struct {
		CardID int64
		N      int
	}
	err := s.q(ctx).Table("board_votes").Select("card_id, count(*) AS n").Where(where, args...).Group("card_id").Scan(&rows).Error
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.CardID] = r.N
	}
	return out, s.err(err)
}

// BoardEventsAfter reads up to limit events with seq > after, in order.
func (s *Store) BoardEventsAfter(ctx context.Context, boardID, after int64, limit int) ([]app.BoardEvent, error) {
	var out []app.BoardEvent
	err := s.q(ctx).Where("board_id = ? AND seq > ?", boardID, after).Order("seq").Limit(limit).Find(&out).Error
	return out, s.err(err)
}

// BoardEventBySeq loads one event.
func (s *Store) BoardEventBySeq(ctx context.Context, boardID, seq int64) (*app.BoardEvent, error) {
	var ev app.BoardEvent
	if err := s.q(ctx).Where("board_id = ? AND seq = ?", boardID, seq).First(&ev).Error; err != nil {
		return nil, s.err(err)
	}
	return &ev, nil
}

// BoardLastSeqs returns the current sequence number of each board in ids.
func (s *Store) BoardLastSeqs(ctx context.Context, ids []int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID      int64
		LastSeq int64
	}
	err := s.q(ctx).Table("boards").Select("id, last_seq").Where("id IN ?", ids).Scan(&rows).Error
	for _, r := range rows {
		out[r.ID] = r.LastSeq
	}
	return out, s.err(err)
}

// PruneBoardEvents deletes events older than before. Clients that were away
// longer are told to reload the board.
func (s *Store) PruneBoardEvents(ctx context.Context, before time.Time) (int64, error) {
	res := s.q(ctx).Where("at < ?", before).Delete(&app.BoardEvent{})
	return res.RowsAffected, s.err(res.Error)
}

type boardPresence struct {
	BoardID     int64  `gorm:"primaryKey"`
	UserID      int64  `gorm:"primaryKey"`
	Instance    string `gorm:"primaryKey"`
	Connections int
	SeenAt      time.Time
}

func (boardPresence) TableName() string { return "board_presence" }

// SetPresence records how many connections a person has open on a board
// through one instance; 0 removes the entry.
func (s *Store) SetPresence(ctx context.Context, boardID, userID int64, instance string, connections int) error {
	if connections <= 0 {
		return s.err(s.q(ctx).Where("board_id = ? AND user_id = ? AND instance = ?", boardID, userID, instance).Delete(&boardPresence{}).Error)
	}
	p := boardPresence{BoardID: boardID, UserID: userID, Instance: instance, Connections: connections, SeenAt: s.Now()}
	return s.err(s.q(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "board_id"}, {Name: "user_id"}, {Name: "instance"}},
		DoUpdates: clause.AssignmentColumns([]string{"connections", "seen_at"}),
	}).Create(&p).Error)
}

// TouchPresence renews every entry of an instance (it is still alive).
func (s *Store) TouchPresence(ctx context.Context, instance string) error {
	return s.err(s.q(ctx).Model(&boardPresence{}).Where("instance = ?", instance).Update("seen_at", s.Now()).Error)
}

// ClearPresence removes an instance's entries (shutdown).
func (s *Store) ClearPresence(ctx context.Context, instance string) error {
	return s.err(s.q(ctx).Where("instance = ?", instance).Delete(&boardPresence{}).Error)
}

// PresentUser is someone who has the board open.
type PresentUser struct {
	UserID      int64
	DisplayName string
}

// BoardPresence lists the people seen on a board since the given time.
func (s *Store) BoardPresence(ctx context.Context, boardID int64, since time.Time) ([]PresentUser, error) {
	var out []PresentUser
	err := s.q(ctx).Table("board_presence p").Select("DISTINCT p.user_id, u.display_name").
		Joins("JOIN users u ON u.id = p.user_id").Where("p.board_id = ? AND p.seen_at >= ?", boardID, since).
		Order("u.display_name").Scan(&out).Error
	return out, s.err(err)
}

// NotifyPresence wakes the other instances (PostgreSQL) after the people
// on a board changed. The payload is the board id, a hint only.
func (s *Store) NotifyPresence(ctx context.Context, boardID int64) error {
	if s.dialect != Postgres {
		return nil
	}
	return s.err(s.q(ctx).Exec("SELECT pg_notify(?, ?)", PresenceNotifyChannel, itoa(boardID)).Error)
}

// PresenceNotifyChannel is the PostgreSQL channel for presence changes.
const PresenceNotifyChannel = "mitwirken_presence"

// CreateLabHandover records a card handed over to AG INSEK; a card is
// handed over once.
func (s *Store) CreateLabHandover(ctx context.Context, h *app.LabHandover) error {
	h.CreatedAt = s.Now()
	if h.Channel == "" {
		h.Channel = app.ContributionChannelLab
	}
	err := s.q(ctx).Create(h).Error
	if app.ErrorCode(s.err(err)) == app.CodeConflict {
		return app.Errorf(app.CodeConflict, "labs.already_handed_over")
	}
	return s.err(err)
}

// LabHandovers lists the cards a lab handed over.
func (s *Store) LabHandovers(ctx context.Context, labID int64) ([]app.LabHandover, error) {
	var out []app.LabHandover
	return out, s.err(s.q(ctx).Where("lab_id = ?", labID).Order("id").Find(&out).Error)
}
