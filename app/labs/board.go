package labs

import (
	"context"
	"strings"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// Event kinds in the board log.
const (
	KindCard          = "card"
	KindCardRemoved   = "card_removed"
	KindColumn        = "column"
	KindColumnRemoved = "column_removed"
	KindVotes         = "votes"
	KindBoard         = "board"
	KindAccess        = "access"
)

// Operation types a client may send.
const (
	OpCardCreate   = "card.create"
	OpCardUpdate   = "card.update"
	OpCardDelete   = "card.delete"
	OpCardMove     = "card.move"
	OpCardHide     = "card.hide"
	OpVoteAdd      = "vote.add"
	OpVoteRemove   = "vote.remove"
	OpColumnCreate = "column.create"
	OpColumnRename = "column.rename"
	OpColumnDelete = "column.delete"
	OpBoardUpdate  = "board.update"
	OpRevealCards  = "cards.reveal"
	OpTimerStart   = "timer.start"
	OpTimerStop    = "timer.stop"
)

// MaxOpID is the longest client operation id.
const MaxOpID = 64

// Op is one change a client asks for. Unknown fields are refused by the
// websocket decoder; every field is checked here.
type Op struct {
	Type           string  `json:"type"`
	OpID           string  `json:"op_id"`
	CardID         int64   `json:"card_id,omitempty"`
	ColumnID       int64   `json:"column_id,omitempty"`
	BeforeID       int64   `json:"before_id,omitempty"`
	Version        int     `json:"version,omitempty"`
	Text           *string `json:"text,omitempty"`
	Color          string  `json:"color,omitempty"`
	Title          string  `json:"title,omitempty"`
	Hidden         *bool   `json:"hidden,omitempty"`
	Phase          string  `json:"phase,omitempty"`
	VotesPerPerson int     `json:"votes_per_person,omitempty"`
	VotesRevealed  *bool   `json:"votes_revealed,omitempty"`
	PrivateWriting *bool   `json:"private_writing,omitempty"`
	Minutes        int     `json:"minutes,omitempty"`
}

// Viewer is the person a board is shown to.
type Viewer struct {
	UserID int64
	Host   bool
	Write  bool
	Lang   string
}

// Result tells the client what became of its operation.
type Result struct {
	Seq       int64
	Duplicate bool
}

// payload is what the log stores for an event: the state after the change.
// Author names are not stored (they are resolved when delivering).
type payload struct {
	Card      *CardState           `json:"card,omitempty"`
	Cards     []CardState          `json:"cards,omitempty"`
	CardID    int64                `json:"card_id,omitempty"`
	Column    *app.BoardColumn     `json:"column,omitempty"`
	ColumnID  int64                `json:"column_id,omitempty"`
	Board     *BoardState          `json:"board,omitempty"`
	Votes     *VoteState           `json:"votes,omitempty"`
	Totals    map[int64]int        `json:"totals,omitempty"`
	Positions []store.CardPosition `json:"positions,omitempty"`
	Voters    map[int64]int        `json:"voters,omitempty"`
	UserID    int64                `json:"user_id,omitempty"`
	Flags     boardFlags           `json:"flags"`
}

type boardFlags struct {
	Anonymous     bool `json:"anonymous"`
	VotesRevealed bool `json:"votes_revealed"`
}

// CardState is a card as stored in the event log.
type CardState struct {
	ID        int64   `json:"id"`
	ColumnID  int64   `json:"column_id"`
	Pos       float64 `json:"pos"`
	Text      string  `json:"text"`
	Color     string  `json:"color"`
	AuthorID  int64   `json:"author_id"`
	Concealed bool    `json:"concealed"`
	Hidden    bool    `json:"hidden"`
	Version   int     `json:"version"`
	Votes     int     `json:"votes"`
}

// VoteState is the dots of a card after a vote.
type VoteState struct {
	CardID    int64 `json:"card_id"`
	UserID    int64 `json:"user_id"`
	Total     int   `json:"total"`
	Mine      int   `json:"mine"`
	Remaining int   `json:"remaining"`
}

// BoardState is the settings of a board as clients see them.
type BoardState struct {
	Title          string     `json:"title"`
	Phase          string     `json:"phase"`
	Anonymous      bool       `json:"anonymous"`
	VotesPerPerson int        `json:"votes_per_person"`
	VotesRevealed  bool       `json:"votes_revealed"`
	PrivateWriting bool       `json:"private_writing"`
	TimerEndsAt    *time.Time `json:"timer_ends_at"`
}

func boardState(b *app.Board) *BoardState {
	return &BoardState{Title: b.Title, Phase: b.Phase, Anonymous: b.Anonymous, VotesPerPerson: b.VotesPerPerson,
		VotesRevealed: b.VotesRevealed, PrivateWriting: b.PrivateWriting, TimerEndsAt: b.TimerEndsAt}
}

func cardState(c *app.Card, votes int) *CardState {
	return &CardState{ID: c.ID, ColumnID: c.ColumnID, Pos: c.Position, Text: c.Body, Color: c.Color, AuthorID: c.AuthorID,
		Concealed: c.Concealed, Hidden: c.Hidden, Version: c.Version, Votes: votes}
}

func flags(b *app.Board) boardFlags {
	return boardFlags{Anonymous: b.Anonymous, VotesRevealed: b.VotesRevealed}
}

// Visible reports whether a card may be shown to v: its author always sees
// it; nobody else sees it while concealed (private writing); hidden cards
// are for hosts only.
func Visible(c *CardState, v Viewer) bool {
	if v.UserID != 0 && c.AuthorID == v.UserID {
		return true
	}
	if c.Concealed {
		return false
	}
	return !c.Hidden || v.Host
}

// Apply validates and stores one operation of v on board b of a lab. It is
// idempotent per (viewer, op_id): a retried operation returns the sequence
// number of its first application.
func (s *Service) Apply(ctx context.Context, boardID int64, v Viewer, op Op) (Result, error) {
	op.OpID = strings.TrimSpace(op.OpID)
	if op.OpID == "" || len(op.OpID) > MaxOpID || app.HasForbiddenRunes(op.OpID, false) {
		return Result{}, app.FieldInvalid("op_id", "labs.op_id_invalid")
	}
	if !v.Write || v.UserID == 0 {
		return Result{}, app.Forbidden()
	}
	actor := v.UserID
	key := itoa(actor) + ":" + op.OpID
	ev, dup, err := s.Store.BoardChange(ctx, boardID, key, &actor, func(tx *store.Store, b *app.Board) (string, any, error) {
		if b.Closed() && !(op.Type == OpBoardUpdate && v.Host) {
			return "", nil, app.Errorf(app.CodeConflict, "labs.board_closed")
		}
		return s.apply(ctx, tx, b, v, op)
	})
	if err != nil {
		return Result{}, err
	}
	if !dup {
		s.changed(&ev)
	}
	return Result{Seq: ev.Seq, Duplicate: dup}, nil
}

func (s *Service) apply(ctx context.Context, tx *store.Store, b *app.Board, v Viewer, op Op) (string, any, error) {
	switch op.Type {
	case OpCardCreate:
		return s.createCard(ctx, tx, b, v, op)
	case OpCardUpdate, OpCardHide:
		return s.updateCard(ctx, tx, b, v, op)
	case OpCardDelete:
		c, err := s.ownCard(ctx, tx, b, v, op.CardID)
		if err != nil {
			return "", nil, err
		}
		if err := tx.DeleteCard(ctx, c.ID); err != nil {
			return "", nil, err
		}
		return KindCardRemoved, payload{CardID: c.ID, Flags: flags(b)}, nil
	case OpCardMove:
		return s.moveCard(ctx, tx, b, v, op)
	case OpVoteAdd, OpVoteRemove:
		return s.vote(ctx, tx, b, v, op)
	case OpColumnCreate, OpColumnRename, OpColumnDelete:
		return s.column(ctx, tx, b, v, op)
	case OpBoardUpdate, OpRevealCards, OpTimerStart, OpTimerStop:
		return s.settings(ctx, tx, b, v, op)
	}
	return "", nil, app.FieldInvalid("type", "labs.op_unknown")
}

func (s *Service) createCard(ctx context.Context, tx *store.Store, b *app.Board, v Viewer, op Op) (string, any, error) {
	if !b.CanAddCards() && !v.Host {
		return "", nil, app.Errorf(app.CodeConflict, "labs.phase_no_cards")
	}
	text := ""
	if op.Text != nil {
		text = app.CleanText(*op.Text)
	}
	var val app.Validator
	app.ValidateCardText(&val, "text", text)
	color := op.Color
	if color == "" {
		color = app.CardColors[0]
	}
	if !app.ValidCardColor(color) {
		val.Add("color", "form.choice_invalid")
	}
	if err := val.Err(); err != nil {
		return "", nil, err
	}
	if _, err := tx.ColumnByID(ctx, b.ID, op.ColumnID); err != nil {
		return "", nil, app.FieldInvalid("column_id", "labs.column_unknown")
	}
	n, err := tx.CountCards(ctx, b.ID)
	if err != nil {
		return "", nil, err
	}
	if n >= app.MaxCardsPerBoard {
		return "", nil, app.Errorf(app.CodeConflict, "labs.board_full", "Max", app.MaxCardsPerBoard)
	}
	pos, renumbered, err := tx.PlaceCard(ctx, b.ID, op.ColumnID, op.BeforeID, 0)
	if err != nil {
		return "", nil, err
	}
	c := &app.Card{BoardID: b.ID, ColumnID: op.ColumnID, Position: pos, Body: text, Color: color, AuthorID: v.UserID, Concealed: b.PrivateWriting}
	if err := tx.InsertCard(ctx, c); err != nil {
		return "", nil, err
	}
	return KindCard, payload{Card: cardState(c, 0), Positions: renumbered, Flags: flags(b)}, nil
}

// ownCard loads a card for deletion: only its author may delete it
// (docs/labs.md: hosts hide other people's cards, they do not delete them),
// in the phases Sammeln and Besprechen, a host author in every phase.
func (s *Service) ownCard(ctx context.Context, tx *store.Store, b *app.Board, v Viewer, id int64) (*app.Card, error) {
	c, err := tx.CardByID(ctx, b.ID, id)
	if err != nil {
		return nil, app.FieldInvalid("card_id", "labs.card_unknown")
	}
	if !Visible(cardState(c, 0), v) {
		return nil, app.FieldInvalid("card_id", "labs.card_unknown")
	}
	if c.AuthorID != v.UserID {
		return nil, app.Errorf(app.CodeForbidden, "labs.not_your_card")
	}
	if !b.CanAddCards() && !v.Host {
		return nil, app.Errorf(app.CodeConflict, "labs.phase_no_edit")
	}
	return c, nil
}

func (s *Service) updateCard(ctx context.Context, tx *store.Store, b *app.Board, v Viewer, op Op) (string, any, error) {
	c, err := tx.CardByID(ctx, b.ID, op.CardID)
	if err != nil || !Visible(cardState(c, 0), v) {
		return "", nil, app.FieldInvalid("card_id", "labs.card_unknown")
	}
	fields := map[string]any{}
	var voters map[int64]int
	if op.Type == OpCardHide {
		if !v.Host {
			return "", nil, app.Errorf(app.CodeForbidden, "labs.hosts_only")
		}
		if op.Hidden == nil {
			return "", nil, app.FieldInvalid("hidden", "form.required")
		}
		fields["hidden"] = *op.Hidden
		c.Hidden = *op.Hidden
		if voters, err = tx.CardVoters(ctx, c.ID); err != nil {
			return "", nil, err
		}
		// Hiding is a host's decision, not an edit: it does not conflict.
		op.Version = c.Version
	} else {
		if c.AuthorID != v.UserID && !v.Host {
			return "", nil, app.Errorf(app.CodeForbidden, "labs.not_your_card")
		}
		if !b.CanAddCards() && !v.Host {
			return "", nil, app.Errorf(app.CodeConflict, "labs.phase_no_edit")
		}
		var val app.Validator
		if op.Text != nil {
			text := app.CleanText(*op.Text)
			app.ValidateCardText(&val, "text", text)
			fields["body"], c.Body = text, text
		}
		if op.Color != "" {
			if !app.ValidCardColor(op.Color) {
				val.Add("color", "form.choice_invalid")
			}
			fields["color"], c.Color = op.Color, op.Color
		}
		if len(fields) == 0 {
			val.Add("text", "form.required")
		}
		if op.Version <= 0 {
			val.Add("version", "labs.version_missing")
		}
		if err := val.Err(); err != nil {
			return "", nil, err
		}
	}
	if err := tx.UpdateCardContent(ctx, c, op.Version, fields); err != nil {
		return "", nil, err
	}
	c.Version = op.Version + 1
	var total int
	if voters != nil {
		// Hiding loaded the voters already: the total is their sum.
		for _, n := range voters {
			total += n
		}
	} else if total, _, err = tx.CardVotes(ctx, c.ID, 0); err != nil {
		return "", nil, err
	}
	return KindCard, payload{Card: cardState(c, total), Voters: voters, Flags: flags(b)}, nil
}

func (s *Service) moveCard(ctx context.Context, tx *store.Store, b *app.Board, v Viewer, op Op) (string, any, error) {
	c, err := tx.CardByID(ctx, b.ID, op.CardID)
	if err != nil || !Visible(cardState(c, 0), v) {
		return "", nil, app.FieldInvalid("card_id", "labs.card_unknown")
	}
	if !b.CanAddCards() && !v.Host {
		return "", nil, app.Errorf(app.CodeConflict, "labs.phase_no_edit")
	}
	if _, err := tx.ColumnByID(ctx, b.ID, op.ColumnID); err != nil {
		return "", nil, app.FieldInvalid("column_id", "labs.column_unknown")
	}
	pos, renumbered, err := tx.PlaceCard(ctx, b.ID, op.ColumnID, op.BeforeID, c.ID)
	if err != nil {
		return "", nil, err
	}
	if err := tx.MoveCard(ctx, c.ID, op.ColumnID, pos); err != nil {
		return "", nil, err
	}
	c.ColumnID, c.Position = op.ColumnID, pos
	total, _, err := tx.CardVotes(ctx, c.ID, 0)
	if err != nil {
		return "", nil, err
	}
	return KindCard, payload{Card: cardState(c, total), Positions: renumbered, Flags: flags(b)}, nil
}

func (s *Service) vote(ctx context.Context, tx *store.Store, b *app.Board, v Viewer, op Op) (string, any, error) {
	if !b.CanVote() {
		return "", nil, app.Errorf(app.CodeConflict, "labs.phase_no_votes")
	}
	c, err := tx.CardByID(ctx, b.ID, op.CardID)
	if err != nil || c.Concealed || c.Hidden {
		return "", nil, app.FieldInvalid("card_id", "labs.card_unknown")
	}
	used, err := tx.UserVotesOnBoard(ctx, b.ID, v.UserID)
	if err != nil {
		return "", nil, err
	}
	if op.Type == OpVoteAdd {
		if used >= b.VotesPerPerson {
			return "", nil, app.Errorf(app.CodeConflict, "labs.no_votes_left", "Max", b.VotesPerPerson)
		}
		if err := tx.AddVote(ctx, b.ID, c.ID, v.UserID); err != nil {
			return "", nil, err
		}
		used++
	} else {
		removed, err := tx.RemoveVote(ctx, c.ID, v.UserID)
		if err != nil {
			return "", nil, err
		}
		if !removed {
			return "", nil, app.Errorf(app.CodeConflict, "labs.no_vote_to_remove")
		}
		used--
	}
	total, mine, err := tx.CardVotes(ctx, c.ID, v.UserID)
	if err != nil {
		return "", nil, err
	}
	return KindVotes, payload{Votes: &VoteState{CardID: c.ID, UserID: v.UserID, Total: total, Mine: mine, Remaining: b.VotesPerPerson - used}, Flags: flags(b)}, nil
}

func (s *Service) column(ctx context.Context, tx *store.Store, b *app.Board, v Viewer, op Op) (string, any, error) {
	if !v.Host {
		return "", nil, app.Errorf(app.CodeForbidden, "labs.hosts_only")
	}
	title := app.CleanLine(op.Title)
	if op.Type != OpColumnDelete {
		var val app.Validator
		val.Line("title", title, true, app.MaxColumnTitle)
		if err := val.Err(); err != nil {
			return "", nil, err
		}
	}
	switch op.Type {
	case OpColumnCreate:
		col, err := tx.AddColumn(ctx, b.ID, title)
		if err != nil {
			return "", nil, err
		}
		return KindColumn, payload{Column: col, Flags: flags(b)}, nil
	case OpColumnRename:
		col, err := tx.ColumnByID(ctx, b.ID, op.ColumnID)
		if err != nil {
			return "", nil, app.FieldInvalid("column_id", "labs.column_unknown")
		}
		if err := tx.RenameColumn(ctx, b.ID, col.ID, title); err != nil {
			return "", nil, err
		}
		col.Title = title
		return KindColumn, payload{Column: col, Flags: flags(b)}, nil
	}
	if _, err := tx.ColumnByID(ctx, b.ID, op.ColumnID); err != nil {
		return "", nil, app.FieldInvalid("column_id", "labs.column_unknown")
	}
	if err := tx.DeleteColumn(ctx, b.ID, op.ColumnID); err != nil {
		return "", nil, err
	}
	return KindColumnRemoved, payload{ColumnID: op.ColumnID, Flags: flags(b)}, nil
}

func (s *Service) settings(ctx context.Context, tx *store.Store, b *app.Board, v Viewer, op Op) (string, any, error) {
	if !v.Host {
		return "", nil, app.Errorf(app.CodeForbidden, "labs.hosts_only")
	}
	fields := map[string]any{}
	p := payload{}
	var val app.Validator
	switch op.Type {
	case OpBoardUpdate:
		if op.Phase != "" {
			if !app.ValidPhase(op.Phase) {
				val.Add("phase", "form.choice_invalid")
			}
			fields["phase"], b.Phase = op.Phase, op.Phase
		}
		if op.VotesPerPerson != 0 {
			if op.VotesPerPerson < 1 || op.VotesPerPerson > app.MaxVotesPerPerson {
				val.Add("votes_per_person", "form.number_range", "Min", 1, "Max", app.MaxVotesPerPerson)
			}
			fields["votes_per_person"], b.VotesPerPerson = op.VotesPerPerson, op.VotesPerPerson
		}
		if op.PrivateWriting != nil {
			fields["private_writing"], b.PrivateWriting = *op.PrivateWriting, *op.PrivateWriting
		}
		if op.VotesRevealed != nil {
			fields["votes_revealed"], b.VotesRevealed = *op.VotesRevealed, *op.VotesRevealed
			if b.VotesRevealed {
				totals, err := tx.BoardVoteTotals(ctx, b.ID)
				if err != nil {
					return "", nil, err
				}
				p.Totals = totals
			}
		}
		if len(fields) == 0 {
			val.Add("phase", "form.required")
		}
	case OpRevealCards:
		cards, err := tx.RevealCards(ctx, b.ID)
		if err != nil {
			return "", nil, err
		}
		for i := range cards {
			p.Cards = append(p.Cards, *cardState(&cards[i], 0))
		}
		fields["private_writing"], b.PrivateWriting = false, false
	case OpTimerStart:
		if op.Minutes < 1 || op.Minutes > app.MaxTimerMinutes {
			val.Add("minutes", "form.number_range", "Min", 1, "Max", app.MaxTimerMinutes)
		}
		end := tx.Now().Add(time.Duration(op.Minutes) * time.Minute).Truncate(time.Second)
		fields["timer_ends_at"], b.TimerEndsAt = end, &end
	case OpTimerStop:
		fields["timer_ends_at"], b.TimerEndsAt = nil, nil
	}
	if err := val.Err(); err != nil {
		return "", nil, err
	}
	if err := tx.UpdateBoard(ctx, b.ID, fields); err != nil {
		return "", nil, err
	}
	p.Board, p.Flags = boardState(b), flags(b)
	return KindBoard, p, nil
}
