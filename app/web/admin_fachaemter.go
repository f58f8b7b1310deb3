package web

import (
	"net/url"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
)

// adminFachamtRoutes: admins keep the Fachämter and who works for them, and
// grant the roles of the Abwägung (docs/abwaegung.md).
func (s *Server) adminFachamtRoutes() {
	g := s.adminGroup()
	admin := requireRole(app.RoleAdmin)
	g.GET("/fachaemter", s.adminFachaemter, admin)
	g.POST("/fachaemter", s.adminSaveFachamt, admin)
	g.GET("/fachaemter/:id", s.adminFachamt, admin)
	g.POST("/fachaemter/:id", s.adminSaveFachamt, admin)
	g.GET("/nutzer/:id", s.adminUserAccess, admin)
	g.POST("/nutzer/:id/zugriff", s.adminSetAccess, admin)
}

type adminFachaemterPage struct {
	Fachaemter []*app.Fachamt
	Fachamt    *app.Fachamt
}

func (s *Server) adminFachaemter(c echo.Context) error {
	list, err := s.store.Fachaemter(c.Request().Context(), true)
	if err != nil {
		return err
	}
	return s.formPage(c, "admin/fachaemter", "abwaegung.fachaemter_title", url.Values{"active": {"true"}}, &adminFachaemterPage{Fachaemter: list})
}

func (s *Server) adminFachamt(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	f, err := s.store.FachamtByID(c.Request().Context(), id)
	if err != nil {
		return err
	}
	values := url.Values{"short": {f.Short}, "name": {f.Name}, "email": {f.Email}}
	if f.Active {
		values.Set("active", "true")
	}
	return s.formPageTitled(c, "admin/fachamt", localizer(c).T("abwaegung.fachamt_edit_title", "Name", f.Label()), values, &adminFachaemterPage{Fachamt: f})
}

func (s *Server) adminSaveFachamt(c echo.Context) error {
	var id int64
	if c.Param("id") != "" {
		var err error
		if id, err = pathID(c, "id"); err != nil {
			return err
		}
	}
	var in app.FachamtInput
	if err := bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if _, err := s.store.SaveFachamt(ctx, currentUser(c), id, in); err != nil {
		if id == 0 {
			list, lerr := s.store.Fachaemter(ctx, true)
			if lerr != nil {
				return lerr
			}
			return s.formError(c, "admin/fachaemter", "abwaegung.fachaemter_title", err, &adminFachaemterPage{Fachaemter: list})
		}
		f, ferr := s.store.FachamtByID(ctx, id)
		if ferr != nil {
			return ferr
		}
		return s.renderTitled(c, "admin/fachamt", localizer(c).T("abwaegung.fachamt_edit_title", "Name", f.Label()), &adminFachaemterPage{Fachamt: f}, err)
	}
	return s.redirect(c, "/admin/fachaemter", "abwaegung.fachamt_saved")
}

// adminAccessPage shows a person's roles and Fachamt memberships.
type adminAccessPage struct {
	Person     *app.User
	Grants     []app.Role
	Members    []int64
	Fachaemter []*app.Fachamt
	Roles      []app.Role
}

// Holds reports whether the person holds the grantable role.
func (p *adminAccessPage) Holds(r app.Role) bool { return slices.Contains(p.Grants, r) }

// Member reports whether the person works for the Fachamt.
func (p *adminAccessPage) Member(id int64) bool { return slices.Contains(p.Members, id) }

func (s *Server) adminAccessData(c echo.Context) (*adminAccessPage, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	ctx := c.Request().Context()
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if u.Erased() {
		return nil, app.NotFound()
	}
	d := &adminAccessPage{Person: u, Roles: app.GrantableRoles}
	if d.Grants, err = s.store.GrantsOf(ctx, id); err != nil {
		return nil, err
	}
	amts, err := s.store.MemberFachaemter(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, f := range amts {
		d.Members = append(d.Members, f.ID)
	}
	d.Fachaemter, err = s.store.Fachaemter(ctx, true)
	return d, err
}

func (s *Server) adminAccessTitle(c echo.Context, d *adminAccessPage) string {
	return localizer(c).T("abwaegung.access_title", "Name", d.Person.DisplayName)
}

func (s *Server) adminUserAccess(c echo.Context) error {
	d, err := s.adminAccessData(c)
	if err != nil {
		return err
	}
	return s.formPageTitled(c, "admin/user_access", s.adminAccessTitle(c, d), nil, d)
}

type accessInput struct {
	Grants     []string `form:"grants"`
	Fachaemter []string `form:"fachaemter"`
}

// adminSetAccess makes the person's grants and memberships what the form
// says; every change is audited by the store.
func (s *Server) adminSetAccess(c echo.Context) error {
	d, err := s.adminAccessData(c)
	if err != nil {
		return err
	}
	var in accessInput
	if err := bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	actor := currentUser(c)
	for _, r := range app.GrantableRoles {
		if err := s.store.SetGrant(ctx, actor, d.Person.ID, r, slices.Contains(in.Grants, string(r))); err != nil {
			return err
		}
	}
	for _, f := range d.Fachaemter {
		if err := s.store.SetMembership(ctx, actor, d.Person.ID, f.ID, slices.Contains(in.Fachaemter, strconv.FormatInt(f.ID, 10))); err != nil {
			return err
		}
	}
	return s.redirect(c, "/admin/nutzer/"+strconv.FormatInt(d.Person.ID, 10), "abwaegung.access_saved")
}
