package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/labs"
	"github.com/mitwirken/mitwirken/app/realtime"
)

func (s *Server) boardRoutes() {
	g := s.e.Group("/labs/:id/boards")
	g.GET("/neu", s.boardNewForm, requireLogin)
	g.POST("", s.boardCreate, requireLogin)
	g.GET("/:bid", s.boardShow)
	s.socket(g.GET("/:bid/ws", s.boardSocket))
	g.GET("/:bid/export.csv", s.boardExportCSV)
	g.GET("/:bid/export.md", s.boardExportMarkdown)
	w := requireVerified
	g.POST("/:bid/karten", s.boardAddCard, w)
	g.GET("/:bid/karten/:cid", s.cardPage)
	g.POST("/:bid/karten/:cid", s.cardEdit, w)
	g.POST("/:bid/karten/:cid/verschieben", s.cardMove, w)
	g.POST("/:bid/karten/:cid/loeschen", s.cardOp(labs.OpCardDelete), w)
	g.POST("/:bid/karten/:cid/ausblenden", s.cardOp(labs.OpCardHide), w)
	g.POST("/:bid/karten/:cid/punkt", s.cardOp(labs.OpVoteAdd), w)
	g.POST("/:bid/karten/:cid/punkt-entfernen", s.cardOp(labs.OpVoteRemove), w)
	g.POST("/:bid/einstellungen", s.boardSettings, w)
	g.POST("/:bid/aufdecken", s.boardReveal, w)
	g.POST("/:bid/timer", s.boardTimer, w)
	g.POST("/:bid/spalten", s.boardAddColumn, w)
	g.POST("/:bid/spalten/:colid", s.boardRenameColumn, w)
	g.POST("/:bid/spalten/:colid/loeschen", s.boardDeleteColumn, w)
	g.GET("/:bid/uebergabe", s.handoverForm, w)
	g.POST("/:bid/uebergabe", s.handoverSubmit, w)
}

// boardFromPath loads lab and board of the URL for a viewer who may read.
func (s *Server) boardFromPath(c echo.Context) (*app.Lab, *app.Board, labs.Viewer, labs.Access, error) {
	l, acc, err := s.labFromPath(c)
	if err != nil {
		return nil, nil, labs.Viewer{}, acc, err
	}
	bid, err := pathID(c, "bid")
	if err != nil {
		return nil, nil, labs.Viewer{}, acc, err
	}
	b, err := s.store.BoardByID(c.Request().Context(), bid)
	if err != nil || b.LabID != l.ID {
		return nil, nil, labs.Viewer{}, acc, app.NotFound()
	}
	return l, b, s.boardViewer(c, acc), acc, nil
}

func (s *Server) boardViewer(c echo.Context, acc labs.Access) labs.Viewer {
	v := labs.Viewer{Host: acc.Host, Write: acc.Write, Lang: localizer(c).Lang()}
	if u := currentUser(c); u != nil {
		v.UserID = u.ID
	}
	return v
}

func boardPath(labID, boardID int64) string {
	return fmt.Sprintf("/labs/%d/boards/%d", labID, boardID)
}

type boardFormPage struct {
	Lab *app.Lab
}

func (s *Server) boardNewForm(c echo.Context) error {
	l, _, err := s.hostLab(c)
	if err != nil {
		return err
	}
	vals := url.Values{"votes_per_person": {"5"}, "columns": {localizer(c).T("labs.default_columns")}}
	return s.formPage(c, "labs/board_form", "labs.board_new_title", vals, boardFormPage{Lab: l})
}

func (s *Server) boardCreate(c echo.Context) error {
	l, acc, err := s.hostLab(c)
	if err != nil {
		return err
	}
	var in app.BoardInput
	if err := bind(c, &in); err != nil {
		return err
	}
	b, err := s.labs.CreateBoard(c.Request().Context(), l, acc, currentUser(c), in)
	if err != nil {
		return s.formError(c, "labs/board_form", "labs.board_new_title", err, boardFormPage{Lab: l})
	}
	return s.redirect(c, boardPath(l.ID, b.ID), "labs.board_created")
}

// boardPage is the board as the server renders it: readable and usable
// without JavaScript; board.js takes over from Seq on.
type boardPage struct {
	Lab     *app.Lab
	Access  labs.Access
	Viewer  labs.Viewer
	Snap    *labs.Snapshot
	OpID    string
	Colors  []string
	Phases  []string
	Card    *labs.CardView
	Now     time.Time
	TimerOn bool

	ColumnOpts []Option
	ColorOpts  []Option
	PhaseOpts  []Option
	BeforeOpts []OptGroup

	defaultsExtra [][2]string
}

// defaults are the values the board's forms start with.
func (p *boardPage) defaults() url.Values {
	b := p.Snap.Board
	v := url.Values{"phase": {b.Phase}, "votes_per_person": {strconv.Itoa(b.VotesPerPerson)}, "minutes": {"5"}, "color": {app.CardColors[0]}}
	if len(p.Snap.Columns) > 0 {
		v.Set("column_id", strconv.FormatInt(p.Snap.Columns[0].ID, 10))
	}
	for _, kv := range p.defaultsExtra {
		v.Set(kv[0], kv[1])
	}
	if p.Card != nil {
		v.Set("text", p.Card.Text)
		v.Set("color", p.Card.Color)
		v.Set("column_id", strconv.FormatInt(p.Card.ColumnID, 10))
	}
	return v
}

func (s *Server) boardOptions(c echo.Context, p *boardPage) {
	loc := localizer(c)
	for _, col := range p.Snap.Columns {
		p.ColumnOpts = append(p.ColumnOpts, Option{Value: strconv.FormatInt(col.ID, 10), Label: col.Title})
		p.defaultsExtra = append(p.defaultsExtra, [2]string{"title-" + strconv.FormatInt(col.ID, 10), col.Title})
		g := OptGroup{Label: col.Title}
		for _, card := range col.Cards {
			if p.Card != nil && card.ID == p.Card.ID {
				continue
			}
			label := []rune(card.Text)
			if len(label) > 60 {
				label = append(label[:60], '…')
			}
			g.Options = append(g.Options, Option{Value: strconv.FormatInt(card.ID, 10), Label: string(label)})
		}
		if len(g.Options) > 0 {
			p.BeforeOpts = append(p.BeforeOpts, g)
		}
	}
	for _, col := range app.CardColors {
		p.ColorOpts = append(p.ColorOpts, Option{Value: col, Label: loc.T(fmt.Sprintf("labs.%s_%s", "color", col))})
	}
	for _, ph := range app.Phases {
		p.PhaseOpts = append(p.PhaseOpts, Option{Value: ph, Label: loc.T(fmt.Sprintf("labs.%s_%s", "phase", ph))})
	}
}

// Remaining is the timer text ("4:30").
func (p boardPage) Remaining() string {
	if p.Snap.Board.TimerEndsAt == nil {
		return ""
	}
	d := p.Snap.Board.TimerEndsAt.Sub(p.Now).Round(time.Second)
	if d < 0 {
		d = 0
	}
	return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}

// MoveTargets lists the columns a card can be moved to (for the no-JS form).
func (p boardPage) MoveTargets() []labs.ColumnView { return p.Snap.Columns }

func newOpID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "f-" + hex.EncodeToString(b)
}

func (s *Server) boardData(c echo.Context) (*boardPage, error) {
	l, b, v, acc, err := s.boardFromPath(c)
	if err != nil {
		return nil, err
	}
	snap, err := s.labs.Snapshot(c.Request().Context(), b.ID, v)
	if err != nil {
		return nil, err
	}
	now := s.store.Now()
	p := &boardPage{Lab: l, Access: acc, Viewer: v, Snap: snap, OpID: newOpID(), Colors: app.CardColors, Phases: app.Phases,
		Now: now, TimerOn: snap.Board.TimerEndsAt != nil && snap.Board.TimerEndsAt.After(now)}
	if id := s.cardID(c); id != 0 {
		if cv, ok := snap.Card(id); ok {
			p.Card = &cv
		}
	}
	s.boardOptions(c, p)
	return p, nil
}

func (s *Server) renderBoard(c echo.Context, d *boardPage) error {
	v := s.view(c, "", d)
	v.Title = d.Snap.Board.Title + " – " + d.Lab.Title
	v.Form = &Form{Values: d.defaults(), Errors: map[string]string{}}
	return s.render(c, http.StatusOK, "labs/board", v)
}

func (s *Server) boardShow(c echo.Context) error {
	d, err := s.boardData(c)
	if err != nil {
		return err
	}
	return s.renderBoard(c, d)
}

// boardForm applies one operation sent by a plain form and answers with
// Post/Redirect/Get, or re-renders the page with the error next to the
// field. The form's op_id makes a submitted-twice form count once.
func (s *Server) boardForm(c echo.Context, op labs.Op, page string, back string) error {
	d, err := s.boardData(c)
	if err != nil {
		return err
	}
	op.OpID = c.FormValue("op_id")
	if op.OpID == "" {
		op.OpID = newOpID()
	}
	if _, err := s.labs.Apply(c.Request().Context(), d.Snap.Board.ID, d.Viewer, op); err != nil {
		e, ok := app.AsError(err)
		if !ok || (e.Code != app.CodeInvalid && e.Code != app.CodeConflict) {
			return err
		}
		if page == "" {
			page = "labs/board"
		}
		if page == "labs/card" && d.Card == nil {
			return app.NotFound()
		}
		values, _ := c.FormParams()
		v := s.view(c, "", d)
		v.Title = d.Snap.Board.Title + " – " + d.Lab.Title
		v.Form = newForm(values, e, localizer(c))
		for k, vals := range d.defaults() {
			if _, ok := v.Form.Values[k]; !ok {
				v.Form.Values[k] = vals
			}
		}
		return s.render(c, e.Code.HTTPStatus(), page, v)
	}
	if back == "" {
		back = boardPath(d.Lab.ID, d.Snap.Board.ID)
	}
	return s.redirect(c, back, "labs.saved_change")
}

func formText(c echo.Context, name string) *string {
	v := c.FormValue(name)
	return &v
}

func formInt(c echo.Context, name string) int {
	n, err := strconv.Atoi(c.FormValue(name))
	if err != nil {
		return -1
	}
	return n
}

func formID(c echo.Context, name string) int64 {
	n, _ := strconv.ParseInt(c.FormValue(name), 10, 64)
	return n
}

func (s *Server) boardAddCard(c echo.Context) error {
	op := labs.Op{Type: labs.OpCardCreate, ColumnID: formID(c, "column_id"), Text: formText(c, "text"), Color: c.FormValue("color")}
	return s.boardForm(c, op, "", "")
}

func (s *Server) cardID(c echo.Context) int64 {
	id, _ := strconv.ParseInt(c.Param("cid"), 10, 64)
	return id
}

func (s *Server) cardOp(typ string) echo.HandlerFunc {
	return func(c echo.Context) error {
		op := labs.Op{Type: typ, CardID: s.cardID(c)}
		if typ == labs.OpCardHide {
			hide := c.FormValue("hidden") == "true"
			op.Hidden = &hide
		}
		return s.boardForm(c, op, "", "")
	}
}

func (s *Server) cardPage(c echo.Context) error {
	d, err := s.boardData(c)
	if err != nil {
		return err
	}
	if d.Card == nil {
		return app.NotFound()
	}
	v := s.view(c, "labs.card_page", d)
	v.Form = &Form{Values: d.defaults(), Errors: map[string]string{}}
	return s.render(c, http.StatusOK, "labs/card", v)
}

func (s *Server) cardEdit(c echo.Context) error {
	op := labs.Op{Type: labs.OpCardUpdate, CardID: s.cardID(c), Text: formText(c, "text"), Color: c.FormValue("color"), Version: formInt(c, "version")}
	return s.boardForm(c, op, "labs/card", "")
}

func (s *Server) cardMove(c echo.Context) error {
	op := labs.Op{Type: labs.OpCardMove, CardID: s.cardID(c), ColumnID: formID(c, "column_id"), BeforeID: formID(c, "before_id")}
	return s.boardForm(c, op, "labs/card", "")
}

func (s *Server) boardSettings(c echo.Context) error {
	op := labs.Op{Type: labs.OpBoardUpdate, Phase: c.FormValue("phase"), VotesPerPerson: formInt(c, "votes_per_person")}
	if op.VotesPerPerson == -1 {
		op.VotesPerPerson = -2 // present but not a number: refused by the range check
	}
	if c.FormValue("votes_per_person") == "" {
		op.VotesPerPerson = 0
	}
	if v := c.FormValue("votes_revealed"); v != "" {
		b := v == "true"
		op.VotesRevealed = &b
	}
	if v := c.FormValue("private_writing"); v != "" {
		b := v == "true"
		op.PrivateWriting = &b
	}
	return s.boardForm(c, op, "", "")
}

func (s *Server) boardReveal(c echo.Context) error {
	return s.boardForm(c, labs.Op{Type: labs.OpRevealCards}, "", "")
}

func (s *Server) boardTimer(c echo.Context) error {
	if c.FormValue("stop") == "true" {
		return s.boardForm(c, labs.Op{Type: labs.OpTimerStop}, "", "")
	}
	return s.boardForm(c, labs.Op{Type: labs.OpTimerStart, Minutes: formInt(c, "minutes")}, "", "")
}

func (s *Server) boardAddColumn(c echo.Context) error {
	return s.boardForm(c, labs.Op{Type: labs.OpColumnCreate, Title: c.FormValue("column_title")}, "", "")
}

func (s *Server) boardRenameColumn(c echo.Context) error {
	id, _ := strconv.ParseInt(c.Param("colid"), 10, 64)
	return s.boardForm(c, labs.Op{Type: labs.OpColumnRename, ColumnID: id, Title: c.FormValue("title-" + c.Param("colid"))}, "", "")
}

func (s *Server) boardDeleteColumn(c echo.Context) error {
	id, _ := strconv.ParseInt(c.Param("colid"), 10, 64)
	return s.boardForm(c, labs.Op{Type: labs.OpColumnDelete, ColumnID: id}, "", "")
}

// boardSocket opens the live connection of a board. The session cookie
// authenticates (people without an account may follow open labs), the hub
// checks the Origin; the viewer's rights are re-checked when the lab's
// membership changes.
func (s *Server) boardSocket(c echo.Context) error {
	l, b, v, _, err := s.boardFromPath(c)
	if err != nil {
		return err
	}
	loc := localizer(c)
	u := currentUser(c)
	authorize := func(ctx context.Context) (labs.Viewer, bool) {
		var cur *app.User
		if u != nil {
			var err error
			if cur, err = s.store.UserByID(ctx, u.ID); err != nil || cur.Erased() {
				return labs.Viewer{}, false
			}
		}
		fresh, err := s.store.LabByID(ctx, l.ID)
		if err != nil {
			return labs.Viewer{}, false
		}
		acc, err := s.labs.Access(ctx, fresh, cur)
		if err != nil || !acc.Read {
			return labs.Viewer{}, false
		}
		nv := v
		nv.Host, nv.Write = acc.Host, acc.Write
		return nv, true
	}
	return s.hub.Serve(c.Response(), c.Request(), realtime.Client{BoardID: b.ID, Viewer: v, Translate: loc.Msg, Authorize: authorize})
}
