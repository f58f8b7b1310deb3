package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// apiGroup is the JSON API. It accepts the session cookie (with the CSRF
// token in X-CSRF-Token for changes) or "Authorization: Bearer <token>".
func (s *Server) apiGroup() *echo.Group { return s.e.Group("/api/v1") }

func (s *Server) apiRoutes() {
	g := s.apiGroup()
	g.GET("/openapi.json", s.openAPI)
	g.GET("/session", s.apiSession)
	g.GET("/me", s.apiMe, requireLogin)
	admin := requireRole(app.RoleAdmin)
	g.GET("/admin/users", s.apiAdminUsers, admin)
	g.PUT("/admin/users/:id/role", s.apiAdminSetRole, admin)
}

func (s *Server) openAPI(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=300")
	return c.JSONBlob(http.StatusOK, s.openapi)
}

// apiUser is an account as the API shows it. The address appears only to the
// person themselves and to admins.
type apiUser struct {
	ID          int64     `json:"id"`
	DisplayName string    `json:"display_name"`
	Role        app.Role  `json:"role"`
	Verified    bool      `json:"verified"`
	Ortsteil    string    `json:"ortsteil,omitempty"`
	Email       string    `json:"email,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

func toAPIUser(u *app.User, withEmail bool) apiUser {
	a := apiUser{ID: u.ID, DisplayName: u.DisplayName, Role: u.Role, Verified: u.Verified(), Ortsteil: u.Ortsteil(), CreatedAt: u.CreatedAt}
	if withEmail {
		a.Email = u.EmailAddress()
	}
	return a
}

type sessionInfo struct {
	User      *apiUser `json:"user"`
	CSRFToken string   `json:"csrf_token"`
}

// apiSession tells a script who is logged in and which CSRF token to send.
func (s *Server) apiSession(c echo.Context) error {
	info := sessionInfo{CSRFToken: csrfToken(c)}
	if u := currentUser(c); u != nil {
		a := toAPIUser(u, true)
		info.User = &a
	}
	return c.JSON(http.StatusOK, info)
}

func (s *Server) apiMe(c echo.Context) error {
	return c.JSON(http.StatusOK, toAPIUser(currentUser(c), true))
}

type apiUserList struct {
	Users []apiUser `json:"users"`
	Total int64     `json:"total"`
	Page  int       `json:"page"`
}

func (s *Server) apiAdminUsers(c echo.Context) error {
	f := store.UserFilter{Query: c.QueryParam("q"), Role: app.Role(c.QueryParam("role")), Page: queryInt(c, "page", 1), PerPage: queryInt(c, "per_page", 50)}
	users, total, err := s.store.ListUsers(c.Request().Context(), f)
	if err != nil {
		return err
	}
	out := apiUserList{Users: []apiUser{}, Total: total, Page: f.Page}
	for _, u := range users {
		out.Users = append(out.Users, toAPIUser(u, true))
	}
	return c.JSON(http.StatusOK, out)
}

type apiRoleInput struct {
	Role string `json:"role"`
}

func (s *Server) apiAdminSetRole(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in apiRoleInput
	if err := bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := s.store.SetRole(ctx, currentUser(c), id, app.Role(in.Role)); err != nil {
		return err
	}
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toAPIUser(u, true))
}
