package web

import (
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

func (s *Server) adminUserRoutes() {
	g := s.adminGroup()
	admin := requireRole(app.RoleAdmin)
	g.GET("/nutzer", s.adminUsers, admin)
	g.POST("/nutzer/:id/rolle", s.adminSetRole, admin)
}

type adminUsersPage struct {
	Users      []*app.User
	Filter     store.UserFilter
	Roles      []app.Role
	Pagination pagination
}

func (s *Server) adminUsersData(c echo.Context) (adminUsersPage, error) {
	f := store.UserFilter{Query: c.QueryParam("q"), Role: app.Role(c.QueryParam("rolle")), Page: queryInt(c, "page", 1), PerPage: 50}
	if !f.Role.Valid() {
		f.Role = ""
	}
	users, total, err := s.store.ListUsers(c.Request().Context(), f)
	base := url.Values{}
	if f.Query != "" {
		base.Set("q", f.Query)
	}
	if f.Role != "" {
		base.Set("rolle", string(f.Role))
	}
	return adminUsersPage{Users: users, Filter: f, Roles: app.Roles,
		Pagination: pagination{Page: f.Page, PerPage: f.PerPage, Total: total, Base: base, Path: "/admin/nutzer"}}, err
}

func (s *Server) adminUsers(c echo.Context) error {
	d, err := s.adminUsersData(c)
	if err != nil {
		return err
	}
	return s.page(c, "admin/users", "admin.users_title", d)
}

type roleInput struct {
	Role string `form:"role"`
}

func (s *Server) adminSetRole(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in roleInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := s.store.SetRole(c.Request().Context(), currentUser(c), id, app.Role(in.Role)); err != nil {
		d, derr := s.adminUsersData(c)
		if derr != nil {
			return derr
		}
		return s.formError(c, "admin/users", "admin.users_title", err, d)
	}
	return s.redirect(c, "/admin/nutzer", "admin.role_changed")
}
