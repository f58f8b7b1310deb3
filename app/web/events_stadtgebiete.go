package web

import (
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
)

// Stadtgebiete are named groups of Stadtbezirke, set by admins.
func (s *Server) stadtgebietRoutes() {
	g := s.adminGroup()
	admin := requireRole(app.RoleAdmin)
	g.GET("/stadtgebiete", s.adminStadtgebiete, admin)
	g.GET("/stadtgebiete/neu", s.adminStadtgebietNew, admin)
	g.POST("/stadtgebiete", s.adminStadtgebietSave, admin)
	g.GET("/stadtgebiete/:id", s.adminStadtgebietEdit, admin)
	g.POST("/stadtgebiete/:id", s.adminStadtgebietSave, admin)
	g.POST("/stadtgebiete/:id/loeschen", s.adminStadtgebietDelete, admin)
}

type stadtgebietePage struct {
	Gebiete []*app.Stadtgebiet
	Free    []app.Stadtbezirk
}

func (s *Server) adminStadtgebiete(c echo.Context) error {
	all, err := s.store.Stadtgebiete(c.Request().Context())
	if err != nil {
		return err
	}
	d := stadtgebietePage{Gebiete: all}
	used := map[string]bool{}
	for _, g := range all {
		for _, b := range g.Bezirke {
			used[b] = true
		}
	}
	for _, b := range s.ref.Stadtbezirke {
		if !used[b.Code] {
			d.Free = append(d.Free, b)
		}
	}
	return s.page(c, "admin/events_stadtgebiete", "events.gebiete_title", d)
}

type stadtgebietFormPage struct {
	Gebiet  *app.Stadtgebiet
	Bezirke []app.Stadtbezirk
	// Taken names the Stadtgebiet each Stadtbezirk belongs to now.
	Taken  map[string]string
	Action string
}

func (s *Server) stadtgebietForm(c echo.Context, g *app.Stadtgebiet) (*stadtgebietFormPage, error) {
	all, err := s.store.Stadtgebiete(c.Request().Context())
	if err != nil {
		return nil, err
	}
	d := &stadtgebietFormPage{Gebiet: g, Bezirke: s.ref.Stadtbezirke, Taken: map[string]string{}, Action: "/admin/stadtgebiete"}
	if g != nil {
		d.Action += "/" + strconv.FormatInt(g.ID, 10)
	}
	for _, other := range all {
		if g != nil && other.ID == g.ID {
			continue
		}
		for _, b := range other.Bezirke {
			d.Taken[b] = other.Name
		}
	}
	return d, nil
}

func (s *Server) adminStadtgebietNew(c echo.Context) error {
	d, err := s.stadtgebietForm(c, nil)
	if err != nil {
		return err
	}
	return s.formPage(c, "admin/events_stadtgebiet_form", "events.gebiet_new_title", url.Values{"position": {"0"}}, d)
}

func (s *Server) adminStadtgebietEdit(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	g, err := s.store.StadtgebietByID(c.Request().Context(), id)
	if err != nil {
		return err
	}
	d, err := s.stadtgebietForm(c, g)
	if err != nil {
		return err
	}
	v := url.Values{"name": {g.Name}, "position": {strconv.Itoa(g.Position)}, "bezirke": g.Bezirke}
	if g.Example {
		v.Set("example", "true")
	}
	return s.formPage(c, "admin/events_stadtgebiet_form", "events.gebiet_edit_title", v, d)
}

func (s *Server) adminStadtgebietSave(c echo.Context) error {
	var id int64
	var g *app.Stadtgebiet
	if c.Param("id") != "" {
		var err error
		if id, err = pathID(c, "id"); err != nil {
			return err
		}
		if g, err = s.store.StadtgebietByID(c.Request().Context(), id); err != nil {
			return err
		}
	}
	var in app.StadtgebietInput
	if err := bind(c, &in); err != nil {
		return err
	}
	in.Clean()
	err := in.Validate()
	if err == nil {
		_, err = s.store.SaveStadtgebiet(c.Request().Context(), id, in)
	}
	if err != nil {
		d, derr := s.stadtgebietForm(c, g)
		if derr != nil {
			return derr
		}
		title := "events.gebiet_new_title"
		if g != nil {
			title = "events.gebiet_edit_title"
		}
		return s.formError(c, "admin/events_stadtgebiet_form", title, err, d)
	}
	return s.redirect(c, "/admin/stadtgebiete", "events.gebiet_saved")
}

func (s *Server) adminStadtgebietDelete(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.DeleteStadtgebiet(c.Request().Context(), id); err != nil {
		return err
	}
	return s.redirect(c, "/admin/stadtgebiete", "events.gebiet_deleted")
}
