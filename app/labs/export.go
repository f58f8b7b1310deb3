package labs

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strings"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/notify"
	"github.com/mitwirken/mitwirken/app/store"
)

// CreateBoard adds a board to a lab (hosts).
func (s *Service) CreateBoard(ctx context.Context, l *app.Lab, acc Access, u *app.User, in app.BoardInput) (*app.Board, error) {
	if !acc.Host {
		return nil, app.Errorf(app.CodeForbidden, "labs.hosts_only")
	}
	if !l.Active() {
		return nil, app.Errorf(app.CodeConflict, "labs.not_active")
	}
	in.Clean()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	b := &app.Board{LabID: l.ID, Title: in.Title, Anonymous: in.Anonymous, PrivateWriting: in.PrivateWriting,
		VotesPerPerson: in.VotesPerPerson, VotesRevealed: !in.HideVotes, Phase: app.PhaseCollect, CreatedBy: &u.ID}
	mailed := false
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateBoard(ctx, b, in.ColumnTitles()); err != nil {
			return err
		}
		var err error
		mailed, err = s.tellFollowers(ctx, tx, app.NotifyLabBoard, l, u)
		return err
	})
	if err == nil && mailed {
		s.Notify.Wake()
	}
	return b, err
}

// tellFollowers notifies the followers of a lab. The notification names the
// lab only, never a board's cards or authors; followers of a members-only
// lab hear of it only while they are members (or staff).
func (s *Service) tellFollowers(ctx context.Context, tx *store.Store, kind string, l *app.Lab, actor *app.User) (bool, error) {
	if s.Notify == nil {
		return false, nil
	}
	e := notify.Event{Kind: kind, SubjectKind: app.FollowLab, SubjectID: l.ID, Title: l.Title,
		URL: "/labs/" + itoa(l.ID), Targets: []app.Follow{notify.Target(app.FollowLab, l.ID)}}
	if actor != nil {
		e.Actor = &actor.ID
	}
	if !l.Open {
		e.Allow = func(uid int64) (bool, error) {
			u, err := tx.UserByID(ctx, uid)
			if err != nil {
				return false, err
			}
			acc, err := s.accessIn(ctx, tx, l, u)
			return acc.Read, err
		}
	}
	return s.Notify.Publish(ctx, tx, e)
}

// exportViewer sees what every reader sees: no hidden and no concealed
// cards, no authors on anonymous boards, vote counts only when revealed.
var exportViewer = Viewer{}

// Export is the board prepared for CSV and Markdown.
type Export struct {
	Board   *app.Board
	Columns []ColumnView
}

// ExportBoard reads the board as everybody may see it.
func (s *Service) ExportBoard(ctx context.Context, boardID int64) (*Export, error) {
	snap, err := s.Snapshot(ctx, boardID, exportViewer)
	if err != nil {
		return nil, err
	}
	return &Export{Board: snap.Board, Columns: snap.Columns}, nil
}

// cell keeps spreadsheet programs from running a card's text as a formula.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// CSV writes the export as UTF-8 with BOM and semicolons (what German
// spreadsheet programs open directly). erased names the author of a
// deleted account.
func (e *Export) CSV(header []string, erased string) []byte {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	w.UseCRLF = true
	var cols []string
	cols = append(cols, header[0], header[1], header[2])
	if !e.Board.Anonymous {
		cols = append(cols, header[3])
	}
	if e.Board.VotesRevealed {
		cols = append(cols, header[4])
	}
	_ = w.Write(cols)
	for _, col := range e.Columns {
		for _, c := range col.Cards {
			row := []string{cell(col.Title), cell(c.Text), c.Color}
			if !e.Board.Anonymous {
				row = append(row, cell(nameOr(c.AuthorName(), erased)))
			}
			if e.Board.VotesRevealed {
				row = append(row, fmt.Sprint(c.VoteCount()))
			}
			_ = w.Write(row)
		}
	}
	w.Flush()
	return buf.Bytes()
}

func nameOr(name, erased string) string {
	if name == "" {
		return erased
	}
	return name
}

// mdEscape keeps a card's text from becoming Markdown structure.
func mdEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "#", `\#`, "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;", "|", `\|`)
	lines := strings.Split(r.Replace(s), "\n")
	return strings.Join(lines, "  \n  ")
}

// Markdown writes the export as a Markdown document.
func (e *Export) Markdown(labTitle, votesWord, erased string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n%s\n", mdEscape(e.Board.Title), mdEscape(labTitle))
	for _, col := range e.Columns {
		fmt.Fprintf(&b, "\n## %s\n\n", mdEscape(col.Title))
		for _, c := range col.Cards {
			fmt.Fprintf(&b, "- %s", mdEscape(c.Text))
			var meta []string
			if !e.Board.Anonymous {
				meta = append(meta, mdEscape(nameOr(c.AuthorName(), erased)))
			}
			if e.Board.VotesRevealed {
				meta = append(meta, fmt.Sprintf("%d %s", c.VoteCount(), votesWord))
			}
			if len(meta) > 0 {
				fmt.Fprintf(&b, " (%s)", strings.Join(meta, ", "))
			}
			b.WriteString("\n")
		}
	}
	return []byte(b.String())
}

// HandOver gives selected cards to AG INSEK as contributions of the channel
// "futurelab" (hosts). Only cards everyone can see can be handed over; the
// text is copied, the author kept unless the board is anonymous.
func (s *Service) HandOver(ctx context.Context, l *app.Lab, b *app.Board, acc Access, host *app.User, cardIDs []int64) (int, error) {
	if !acc.Host {
		return 0, app.Errorf(app.CodeForbidden, "labs.hosts_only")
	}
	if len(cardIDs) == 0 {
		return 0, app.FieldInvalid("cards", "labs.handover_none")
	}
	if len(cardIDs) > app.MaxCardsPerBoard {
		return 0, app.FieldInvalid("cards", "labs.handover_too_many", "Max", app.MaxCardsPerBoard)
	}
	totals, err := s.Store.BoardVoteTotals(ctx, b.ID)
	if err != nil {
		return 0, err
	}
	mailed := false
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		for _, id := range cardIDs {
			c, err := tx.CardByID(ctx, b.ID, id)
			if err != nil || c.Hidden || c.Concealed {
				return app.FieldInvalid("cards", "labs.card_unknown")
			}
			if c.HandedOverAt != nil {
				return app.FieldInvalid("cards", "labs.already_handed_over")
			}
			if err := s.handOver(ctx, tx, l, b, c, totals[c.ID], host); err != nil {
				return err
			}
			if err := tx.AppendAudit(ctx, app.AuditEvent{Actor: host, Action: app.AuditCardHandover, ObjectType: "board_card", ObjectID: itoa(c.ID)}); err != nil {
				return err
			}
		}
		if err := tx.MarkCardsHandedOver(ctx, cardIDs); err != nil {
			return err
		}
		var err error
		mailed, err = s.tellFollowers(ctx, tx, app.NotifyLabResult, l, host)
		return err
	})
	if err != nil {
		return 0, err
	}
	if mailed {
		s.Notify.Wake()
	}
	return len(cardIDs), nil
}

// handOver is the one place that turns a card into a contribution: it enters
// the shared pipeline (channel "futurelab", with lab, board and card) and is
// moderated and assessed there like a comment on the draft. An anonymous
// board hands over no author. The hand-over record keeps the dot count.
func (s *Service) handOver(ctx context.Context, tx *store.Store, l *app.Lab, b *app.Board, c *app.Card, votes int, host *app.User) error {
	label := "future.lab: " + l.Title
	contribution := &app.Contribution{
		Channel: app.ChannelFutureLab, LabID: &l.ID, BoardID: &b.ID, CardID: &c.ID,
		AuthorLabel: label, EnteredBy: &host.ID, Body: c.Body,
	}
	h := &app.LabHandover{LabID: l.ID, BoardID: b.ID, CardID: &c.ID, Body: c.Body, Votes: votes, HandedOverBy: &host.ID,
		AuthorLabel: label}
	if !b.Anonymous {
		author := c.AuthorID
		h.AuthorID, contribution.AuthorID = &author, &author
	}
	if err := tx.CreateContribution(ctx, contribution); err != nil {
		if app.ErrorCode(err) == app.CodeConflict {
			return app.Errorf(app.CodeConflict, "labs.already_handed_over")
		}
		return err
	}
	h.ContributionID = &contribution.ID
	return tx.CreateLabHandover(ctx, h)
}
