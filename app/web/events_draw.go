package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/selection"
)

func (s *Server) eventDrawRoutes() {
	s.e.GET("/veranstaltungen/:id/auslosung", s.eventDrawPage)
	s.e.GET("/veranstaltungen/:id/auslosung/draw.json", s.eventDrawJSON)
}

// drawPage is the public record of a draw: announced seed source and pool
// hash before, seed, chosen panel and waiting-list order after.
type drawPage struct {
	Event   eventItem
	Draw    *app.EventDraw
	Doc     *selection.Draw
	Waiting []string
	// Extras are the quota table and the applicant lookup (selection_draw.go).
	Extras *drawExtras
}

func (s *Server) loadDraw(c echo.Context) (*app.Event, *app.EventDraw, error) {
	ev, err := s.loadEvent(c)
	if err != nil {
		return nil, nil, err
	}
	d, err := s.store.DrawOf(c.Request().Context(), ev.ID)
	if err != nil {
		return nil, nil, err
	}
	return ev, d, nil
}

func (s *Server) eventDrawPage(c echo.Context) error {
	ev, d, err := s.loadDraw(c)
	if err != nil {
		return err
	}
	doc, err := selection.ReadDraw(strings.NewReader(d.Document))
	if err != nil {
		return app.Internal(err)
	}
	p := drawPage{Event: eventItem{Event: ev, lang: localizer(c).Lang()}, Draw: d, Doc: doc, Waiting: doc.WaitingList}
	extras, lookupErr := s.drawPageExtras(c, ev, doc)
	p.Extras = extras
	v := s.view(c, "", p)
	v.Title = localizer(c).T("events.draw_page_title", "Title", ev.Title)
	for _, l := range []*drawLookup{extras.Own, extras.Lookup} {
		if l != nil {
			l.V = v
		}
	}
	status := http.StatusOK
	if lookupErr != nil {
		if app.ErrorCode(lookupErr) != app.CodeInvalid {
			return lookupErr
		}
		v.Form, status = newForm(c.QueryParams(), lookupErr, localizer(c)), http.StatusUnprocessableEntity
	}
	return s.render(c, status, "events/draw", v)
}

func (s *Server) eventDrawJSON(c echo.Context) error {
	ev, d, err := s.loadDraw(c)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="DRAW-veranstaltung-`+strconv.FormatInt(ev.ID, 10)+`.json"`)
	h.Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, "application/json; charset=utf-8", []byte(d.Document))
}
