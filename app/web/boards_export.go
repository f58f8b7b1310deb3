package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/labs"
)

func (s *Server) boardExport(c echo.Context) (*app.Lab, *labs.Export, error) {
	l, b, _, _, err := s.boardFromPath(c)
	if err != nil {
		return nil, nil, err
	}
	e, err := s.labs.ExportBoard(c.Request().Context(), b.ID)
	return l, e, err
}

func download(c echo.Context, name, contentType string, body []byte) error {
	h := c.Response().Header()
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, name))
	h.Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, contentType, body)
}

func (s *Server) boardExportCSV(c echo.Context) error {
	_, e, err := s.boardExport(c)
	if err != nil {
		return err
	}
	loc := localizer(c)
	header := []string{loc.T("labs.export_column"), loc.T("labs.export_card"), loc.T("labs.export_color"), loc.T("labs.export_author"), loc.T("labs.export_votes")}
	return download(c, fmt.Sprintf("board-%d.csv", e.Board.ID), "text/csv; charset=utf-8", e.CSV(header, loc.T("account.erased_name")))
}

func (s *Server) boardExportMarkdown(c echo.Context) error {
	l, e, err := s.boardExport(c)
	if err != nil {
		return err
	}
	loc := localizer(c)
	return download(c, fmt.Sprintf("board-%d.md", e.Board.ID), "text/markdown; charset=utf-8",
		e.Markdown(l.Title, loc.T("labs.votes_word"), loc.T("account.erased_name")))
}

type handoverPage struct {
	*boardPage
	Done []app.LabHandover
}

// HandedOver reports whether a card was handed over already.
func (p *handoverPage) HandedOver(cardID int64) bool {
	for _, h := range p.Done {
		if h.CardID != nil && *h.CardID == cardID {
			return true
		}
	}
	return false
}

func (s *Server) handoverData(c echo.Context) (*handoverPage, error) {
	d, err := s.boardData(c)
	if err != nil {
		return nil, err
	}
	if !d.Access.Host {
		return nil, app.Errorf(app.CodeForbidden, "labs.hosts_only")
	}
	done, err := s.store.LabHandovers(c.Request().Context(), d.Lab.ID)
	return &handoverPage{boardPage: d, Done: done}, err
}

func (s *Server) handoverForm(c echo.Context) error {
	d, err := s.handoverData(c)
	if err != nil {
		return err
	}
	return s.page(c, "labs/handover", "labs.handover_title", d)
}

func (s *Server) handoverSubmit(c echo.Context) error {
	d, err := s.handoverData(c)
	if err != nil {
		return err
	}
	params, _ := c.FormParams()
	var ids []int64
	for _, v := range params["cards"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return s.formError(c, "labs/handover", "labs.handover_title", app.FieldInvalid("cards", "labs.card_unknown"), d)
		}
		ids = append(ids, id)
	}
	if _, err := s.labs.HandOver(c.Request().Context(), d.Lab, d.Snap.Board, d.Access, currentUser(c), ids); err != nil {
		return s.formError(c, "labs/handover", "labs.handover_title", err, d)
	}
	return s.redirect(c, boardPath(d.Lab.ID, d.Snap.Board.ID)+"/uebergabe", "labs.handed_over")
}
