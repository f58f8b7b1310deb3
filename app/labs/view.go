package labs

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"sync"

	"github.com/mitwirken/mitwirken/app"
)

// CardView is a card as one viewer sees it: in frames, on the page and in
// exports. Author is empty on anonymous boards; Votes is nil while counts
// are hidden.
type CardView struct {
	ID        int64   `json:"id"`
	ColumnID  int64   `json:"column_id"`
	Pos       float64 `json:"pos"`
	Text      string  `json:"text"`
	Color     string  `json:"color"`
	Author    *string `json:"author"`
	Mine      bool    `json:"mine"`
	Hidden    bool    `json:"hidden"`
	Concealed bool    `json:"concealed"`
	Version   int     `json:"version"`
	Votes     *int    `json:"votes,omitempty"`
	MyVotes   *int    `json:"my_votes,omitempty"`
}

// AuthorName is the name to show ("" on anonymous boards).
func (c CardView) AuthorName() string {
	if c.Author == nil {
		return ""
	}
	return *c.Author
}

// VoteCount is the number of dots, -1 while hidden.
func (c CardView) VoteCount() int {
	if c.Votes == nil {
		return -1
	}
	return *c.Votes
}

// MyVoteCount is the viewer's dots on the card.
func (c CardView) MyVoteCount() int {
	if c.MyVotes == nil {
		return 0
	}
	return *c.MyVotes
}

func (s *Service) cardView(c *CardState, f boardFlags, v Viewer, names map[int64]string) CardView {
	cv := CardView{ID: c.ID, ColumnID: c.ColumnID, Pos: c.Pos, Text: c.Text, Color: c.Color, Mine: v.UserID != 0 && c.AuthorID == v.UserID,
		Hidden: c.Hidden, Concealed: c.Concealed, Version: c.Version}
	if !f.Anonymous {
		name := names[c.AuthorID]
		cv.Author = &name
	}
	if f.VotesRevealed {
		n := c.Votes
		cv.Votes = &n
	}
	return cv
}

// Event is a log entry decoded once and rendered for each viewer; frames
// are cached per variant, so 2,000 viewers of one board cost a handful of
// encodings.
type Event struct {
	Seq     int64
	Kind    string
	ActorID int64
	p       payload
	names   map[int64]string

	mu     sync.Mutex
	frames map[int64][]byte
}

// AffectsUser reports whether an access event concerns u (0: everyone).
func (e *Event) AffectsUser(u int64) bool {
	return e.Kind == KindAccess && (e.p.UserID == 0 || e.p.UserID == u)
}

// Decode parses a log entry and resolves the author names it needs.
func (s *Service) Decode(ctx context.Context, ev *app.BoardEvent) (*Event, error) {
	e := &Event{Seq: ev.Seq, Kind: ev.Kind, frames: map[int64][]byte{}}
	if ev.ActorID != nil {
		e.ActorID = *ev.ActorID
	}
	if err := json.Unmarshal([]byte(ev.Payload), &e.p); err != nil {
		return nil, app.Internal(err)
	}
	if !e.p.Flags.Anonymous {
		var ids []int64
		if e.p.Card != nil {
			ids = append(ids, e.p.Card.AuthorID)
		}
		for _, c := range e.p.Cards {
			ids = append(ids, c.AuthorID)
		}
		if len(ids) > 0 {
			e.names = s.Names(ctx, ids)
		}
	}
	return e, nil
}

// frame is what a client receives for one event.
type frame struct {
	Type      string           `json:"type"`
	Seq       int64            `json:"seq"`
	Card      *CardView        `json:"card,omitempty"`
	CardID    int64            `json:"card_id,omitempty"`
	Column    *app.BoardColumn `json:"column,omitempty"`
	ColumnID  int64            `json:"column_id,omitempty"`
	Board     *BoardState      `json:"board,omitempty"`
	Cards     []CardView       `json:"cards,omitempty"`
	Totals    map[string]int   `json:"totals,omitempty"`
	Positions []cardPos        `json:"positions,omitempty"`
	Total     *int             `json:"total,omitempty"`
	Mine      *int             `json:"mine,omitempty"`
	Remaining *int             `json:"remaining,omitempty"`
}

type cardPos struct {
	ID  int64   `json:"id"`
	Pos float64 `json:"pos"`
}

// variant groups the viewers that receive the same bytes for an event.
func (e *Event) variant(v Viewer) int64 {
	switch e.Kind {
	case KindCard:
		c := e.p.Card
		if v.UserID != 0 && (c.AuthorID == v.UserID || e.p.Voters[v.UserID] > 0) {
			return v.UserID
		}
		if v.Host {
			return -2
		}
	case KindVotes:
		if v.UserID == e.p.Votes.UserID {
			return v.UserID
		}
	case KindBoard:
		if len(e.p.Cards) > 0 && v.UserID != 0 {
			return v.UserID
		}
	}
	return -1
}

// Frame renders the event for one viewer. Data the viewer may not see is
// never in it: such an event becomes {"type":"noop"} (or a removal of the
// card from the viewer's board), so that sequence numbers stay gapless.
func (s *Service) Frame(e *Event, v Viewer) []byte {
	key := e.variant(v)
	e.mu.Lock()
	defer e.mu.Unlock()
	if b, ok := e.frames[key]; ok {
		return b
	}
	b, _ := json.Marshal(s.frame(e, v))
	e.frames[key] = b
	return b
}

func (s *Service) frame(e *Event, v Viewer) frame {
	f := frame{Type: e.Kind, Seq: e.Seq}
	p := e.p
	switch e.Kind {
	case KindCard:
		if !Visible(p.Card, v) {
			return frame{Type: KindCardRemoved, Seq: e.Seq, CardID: p.Card.ID}
		}
		cv := s.cardView(p.Card, p.Flags, v, e.names)
		if p.Voters != nil {
			n := p.Voters[v.UserID]
			cv.MyVotes = &n
		}
		f.Card = &cv
		for _, pos := range p.Positions {
			f.Positions = append(f.Positions, cardPos{pos.ID, pos.Position})
		}
	case KindCardRemoved:
		f.CardID = p.CardID
	case KindColumn:
		f.Column = p.Column
	case KindColumnRemoved:
		f.ColumnID = p.ColumnID
	case KindVotes:
		vs := p.Votes
		f.CardID = vs.CardID
		if p.Flags.VotesRevealed {
			f.Total = &vs.Total
		}
		if v.UserID == vs.UserID {
			f.Mine, f.Remaining = &vs.Mine, &vs.Remaining
		} else if !p.Flags.VotesRevealed {
			return frame{Type: "noop", Seq: e.Seq}
		}
	case KindBoard:
		f.Board = p.Board
		for i := range p.Cards {
			if Visible(&p.Cards[i], v) {
				f.Cards = append(f.Cards, s.cardView(&p.Cards[i], p.Flags, v, e.names))
			}
		}
		if p.Flags.VotesRevealed && p.Totals != nil {
			f.Totals = map[string]int{}
			for id, n := range p.Totals {
				f.Totals[strconv.FormatInt(id, 10)] = n
			}
		}
	default:
		return frame{Type: "noop", Seq: e.Seq}
	}
	return f
}

// ColumnView is a column with the cards one viewer sees.
type ColumnView struct {
	app.BoardColumn
	Cards []CardView
}

// Snapshot is a board as one viewer sees it now, with the sequence number
// the live stream resumes after. The number is read before the cards, so a
// client may receive a change it already shows (frames carry whole states,
// so applying one twice is harmless) but never misses one.
type Snapshot struct {
	Board          *app.Board
	Seq            int64
	Columns        []ColumnView
	VotesLeft      int
	VotesUsed      int
	ConcealedCount int
	HiddenCount    int
}

// Snapshot reads a board for v.
func (s *Service) Snapshot(ctx context.Context, boardID int64, v Viewer) (*Snapshot, error) {
	b, err := s.Store.BoardByID(ctx, boardID)
	if err != nil {
		return nil, err
	}
	snap := &Snapshot{Board: b, Seq: b.LastSeq}
	cols, err := s.Store.BoardColumns(ctx, boardID)
	if err != nil {
		return nil, err
	}
	cards, err := s.Store.BoardCards(ctx, boardID)
	if err != nil {
		return nil, err
	}
	totals, err := s.Store.BoardVoteTotals(ctx, boardID)
	if err != nil {
		return nil, err
	}
	mine := map[int64]int{}
	if v.UserID != 0 {
		if mine, err = s.Store.BoardUserVotes(ctx, boardID, v.UserID); err != nil {
			return nil, err
		}
	}
	var ids []int64
	for _, c := range cards {
		ids = append(ids, c.AuthorID)
	}
	names := map[int64]string{}
	if !b.Anonymous {
		names = s.Names(ctx, ids)
	}
	byCol := map[int64][]CardView{}
	f := flags(b)
	for i := range cards {
		c := cardState(&cards[i], totals[cards[i].ID])
		if !Visible(c, v) {
			if c.Concealed {
				snap.ConcealedCount++
			}
			continue
		}
		if c.Hidden {
			snap.HiddenCount++
		} else {
			snap.VotesUsed += mine[c.ID]
		}
		cv := s.cardView(c, f, v, names)
		n := mine[c.ID]
		cv.MyVotes = &n
		byCol[c.ColumnID] = append(byCol[c.ColumnID], cv)
	}
	for _, col := range cols {
		cs := byCol[col.ID]
		sort.SliceStable(cs, func(i, j int) bool { return cs[i].Pos < cs[j].Pos })
		snap.Columns = append(snap.Columns, ColumnView{BoardColumn: col, Cards: cs})
	}
	snap.VotesLeft = b.VotesPerPerson - snap.VotesUsed
	if snap.VotesLeft < 0 {
		snap.VotesLeft = 0
	}
	return snap, nil
}

// Card finds a card of the snapshot.
func (s *Snapshot) Card(id int64) (CardView, bool) {
	for _, col := range s.Columns {
		for _, c := range col.Cards {
			if c.ID == id {
				return c, true
			}
		}
	}
	return CardView{}, false
}

// CurrentCard renders one card for v (the answer to a version conflict).
func (s *Service) CurrentCard(ctx context.Context, boardID, cardID int64, v Viewer) (*CardView, error) {
	snap, err := s.Snapshot(ctx, boardID, v)
	if err != nil {
		return nil, err
	}
	c, ok := snap.Card(cardID)
	if !ok {
		return nil, app.NotFound()
	}
	return &c, nil
}
