package web

import (
	"context"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/labs"
	"github.com/mitwirken/mitwirken/app/pagecache"
	"github.com/mitwirken/mitwirken/app/store"
)

func (s *Server) labRoutes() {
	s.e.GET("/labs", s.labIndex)
	s.e.GET("/labs/neu", s.labNewForm, requireVerified)
	s.e.POST("/labs", s.labCreate, requireVerified)
	s.e.GET("/labs/einladung", s.labInvitePage)
	s.e.POST("/labs/einladung", s.labInviteAccept, requireLogin)
	s.cachedGET("/labs/:id", s.labShow, pagecache.Labs)
	s.e.GET("/labs/:id/bearbeiten", s.labEditForm, requireLogin)
	s.e.POST("/labs/:id/bearbeiten", s.labUpdate, requireLogin)
	s.e.POST("/labs/:id/beitreten", s.labJoin, requireLogin)
	s.e.POST("/labs/:id/verlassen", s.labLeave, requireLogin)
	s.e.GET("/labs/:id/mitglieder", s.labMembers, requireLogin)
	s.e.POST("/labs/:id/mitglieder/:uid/rolle", s.labMemberRole, requireLogin)
	s.e.POST("/labs/:id/mitglieder/:uid/entfernen", s.labMemberRemove, requireLogin)
	s.e.POST("/labs/:id/einladen", s.labInviteMail, requireLogin)
	s.e.POST("/labs/:id/einladungslink", s.labRenewInvite, requireLogin)
	s.e.GET("/profil/labs", s.myLabs, requireLogin)
	admin := s.adminGroup()
	admin.GET("/labs", s.adminLabs)
	admin.POST("/labs/:id/freigeben", s.adminLabApprove)
	admin.POST("/labs/:id/ablehnen", s.adminLabReject)
}

// labFromPath loads the lab of the URL and what the viewer may do there;
// people who may not read it are refused (logged-out people are sent to
// the login page).
func (s *Server) labFromPath(c echo.Context) (*app.Lab, labs.Access, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, labs.Access{}, err
	}
	l, err := s.store.LabByID(c.Request().Context(), id)
	if err != nil {
		return nil, labs.Access{}, err
	}
	acc, err := s.labs.Access(c.Request().Context(), l, currentUser(c))
	if err != nil {
		return nil, acc, err
	}
	if !acc.Read {
		if currentUser(c) == nil {
			return nil, acc, app.Unauthorized()
		}
		return nil, acc, app.Errorf(app.CodeForbidden, "labs.members_only")
	}
	return l, acc, nil
}

func (s *Server) hostLab(c echo.Context) (*app.Lab, labs.Access, error) {
	l, acc, err := s.labFromPath(c)
	if err == nil && !acc.Host {
		err = app.Errorf(app.CodeForbidden, "labs.hosts_only")
	}
	return l, acc, err
}

type labCard struct {
	app.Lab
	Members int64
	Role    string
	// Readable: the viewer may open the lab; members-only labs are listed
	// to everybody, with what an outsider can do instead of a link to a 403.
	Readable bool
}

type labIndexPage struct {
	Labs []labCard
	Mine []store.LabWithRole
}

func (s *Server) labIndex(c echo.Context) error {
	ctx := c.Request().Context()
	list, err := s.store.LabsByStatus(ctx, app.LabActive)
	if err != nil {
		return err
	}
	var ids []int64
	for _, l := range list {
		ids = append(ids, l.ID)
	}
	counts, err := s.store.CountLabMembers(ctx, ids)
	if err != nil {
		return err
	}
	d := labIndexPage{}
	for _, l := range list {
		card := labCard{Lab: l, Members: counts[l.ID], Readable: l.Open}
		// Only a members-only lab needs the viewer's membership looked up.
		if !l.Open {
			acc, err := s.labs.Access(ctx, &l, currentUser(c))
			if err != nil {
				return err
			}
			card.Readable = acc.Read
		}
		d.Labs = append(d.Labs, card)
	}
	if u := currentUser(c); u != nil {
		if d.Mine, err = s.store.LabsOfUser(ctx, u.ID); err != nil {
			return err
		}
	}
	return s.page(c, "labs/index", "labs.title", d)
}

type labFormPage struct {
	Lab *app.Lab
}

func (s *Server) labNewForm(c echo.Context) error {
	return s.formPage(c, "labs/form", "labs.new_title", url.Values{"open": {"true"}}, labFormPage{})
}

func (s *Server) labCreate(c echo.Context) error {
	var in app.LabInput
	if err := bind(c, &in); err != nil {
		return err
	}
	l, err := s.labs.Propose(c.Request().Context(), currentUser(c), in)
	if err != nil {
		return s.formError(c, "labs/form", "labs.new_title", err, labFormPage{})
	}
	if l.Active() {
		return s.redirect(c, labPath(l.ID), "labs.created")
	}
	return s.redirect(c, "/profil/labs", "labs.proposed")
}

type labShowPage struct {
	Lab     *app.Lab
	Access  labs.Access
	Members []store.LabMemberView
	Boards  []app.Board
}

func (s *Server) labShow(c echo.Context) error {
	l, acc, err := s.labFromPath(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	d := labShowPage{Lab: l, Access: acc}
	if d.Members, err = s.store.LabMembers(ctx, l.ID); err != nil {
		return err
	}
	if d.Boards, err = s.store.LabBoards(ctx, l.ID); err != nil {
		return err
	}
	v := s.view(c, "", d)
	v.Title = l.Title
	return s.render(c, 200, "labs/show", v)
}

func (s *Server) labEditForm(c echo.Context) error {
	l, _, err := s.hostLab(c)
	if err != nil {
		return err
	}
	vals := url.Values{"title": {l.Title}, "theme": {l.Theme}, "description": {l.Description}}
	if l.Open {
		vals.Set("open", "true")
	}
	return s.formPage(c, "labs/form", "labs.edit_title", vals, labFormPage{Lab: l})
}

func (s *Server) labUpdate(c echo.Context) error {
	l, acc, err := s.hostLab(c)
	if err != nil {
		return err
	}
	var in app.LabInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := s.labs.Update(c.Request().Context(), l, acc, in); err != nil {
		return s.formError(c, "labs/form", "labs.edit_title", err, labFormPage{Lab: l})
	}
	return s.redirect(c, labPath(l.ID), "labs.saved")
}

func (s *Server) labJoin(c echo.Context) error {
	l, _, err := s.labFromPath(c)
	if err != nil {
		return err
	}
	if err := s.labs.Join(c.Request().Context(), l, currentUser(c)); err != nil {
		return err
	}
	return s.redirect(c, labPath(l.ID), "labs.joined")
}

func (s *Server) labLeave(c echo.Context) error {
	l, _, err := s.labFromPath(c)
	if err != nil {
		return err
	}
	if err := s.labs.Leave(c.Request().Context(), l, currentUser(c)); err != nil {
		if app.ErrorCode(err) == app.CodeConflict {
			return s.redirect(c, labPath(l.ID)+"/mitglieder", "labs.last_host")
		}
		return err
	}
	return s.redirect(c, "/labs", "labs.left")
}

type labMembersPage struct {
	Lab        *app.Lab
	Members    []store.LabMemberView
	InviteLink string
}

func (s *Server) labMembersData(c echo.Context, l *app.Lab) (labMembersPage, error) {
	d := labMembersPage{Lab: l, InviteLink: s.cfg.BaseURL + s.labs.InviteLink(l)}
	var err error
	d.Members, err = s.store.LabMembers(c.Request().Context(), l.ID)
	return d, err
}

func (s *Server) labMembers(c echo.Context) error {
	l, _, err := s.hostLab(c)
	if err != nil {
		return err
	}
	d, err := s.labMembersData(c, l)
	if err != nil {
		return err
	}
	return s.page(c, "labs/members", "labs.members_title", d)
}

func (s *Server) labMemberRole(c echo.Context) error {
	return s.labMemberAction(c, "labs.role_saved", func(ctx context.Context, l *app.Lab, acc labs.Access, uid int64) error {
		return s.labs.SetRole(ctx, l, acc, uid, c.FormValue("role"))
	})
}

func (s *Server) labMemberRemove(c echo.Context) error {
	return s.labMemberAction(c, "labs.member_removed", s.labs.RemoveMember)
}

// labMemberAction runs a host's change of a membership; refusing to lose
// the last host is explained on the members page.
func (s *Server) labMemberAction(c echo.Context, flash string, fn func(context.Context, *app.Lab, labs.Access, int64) error) error {
	l, acc, err := s.hostLab(c)
	if err != nil {
		return err
	}
	uid, err := pathID(c, "uid")
	if err != nil {
		return err
	}
	if err := fn(c.Request().Context(), l, acc, uid); err != nil {
		if app.ErrorCode(err) == app.CodeConflict {
			return s.redirect(c, labPath(l.ID)+"/mitglieder", "labs.last_host")
		}
		return err
	}
	return s.redirect(c, labPath(l.ID)+"/mitglieder", flash)
}

func (s *Server) labInviteMail(c echo.Context) error {
	l, acc, err := s.hostLab(c)
	if err != nil {
		return err
	}
	n, err := s.labs.InviteByMail(c.Request().Context(), l, acc, currentUser(c), c.FormValue("emails"))
	if err != nil {
		d, derr := s.labMembersData(c, l)
		if derr != nil {
			return derr
		}
		return s.formError(c, "labs/members", "labs.members_title", err, d)
	}
	flash := "labs.invites_sent"
	if n == 1 {
		flash = "labs.invite_sent"
	}
	return s.redirect(c, labPath(l.ID)+"/mitglieder", flash)
}

func (s *Server) labRenewInvite(c echo.Context) error {
	l, acc, err := s.hostLab(c)
	if err != nil {
		return err
	}
	if err := s.labs.RenewInviteLink(c.Request().Context(), l, acc); err != nil {
		return err
	}
	return s.redirect(c, labPath(l.ID)+"/mitglieder", "labs.invite_link_renewed")
}

type labInvitePage struct {
	Lab   *app.Lab
	Token string
}

func (s *Server) labInvitePage(c echo.Context) error {
	token := c.QueryParam("token")
	l, err := s.labs.InvitedLab(c.Request().Context(), token)
	if err != nil {
		return s.render(c, statusOf(err), "labs/invite", s.view(c, "labs.invite_title", labInvitePage{}))
	}
	return s.page(c, "labs/invite", "labs.invite_title", labInvitePage{Lab: l, Token: token})
}

func (s *Server) labInviteAccept(c echo.Context) error {
	l, err := s.labs.AcceptInvite(c.Request().Context(), currentUser(c), c.FormValue("token"))
	if err != nil {
		if app.ErrorCode(err) == app.CodeGone {
			return s.render(c, statusOf(err), "labs/invite", s.view(c, "labs.invite_title", labInvitePage{}))
		}
		return err
	}
	return s.redirect(c, labPath(l.ID), "labs.joined")
}

func (s *Server) myLabs(c echo.Context) error {
	mine, err := s.store.LabsOfUser(c.Request().Context(), currentUser(c).ID)
	if err != nil {
		return err
	}
	return s.page(c, "labs/mine", "labs.mine_title", labIndexPage{Mine: mine})
}

type adminLabsPage struct {
	Proposed []app.Lab
	Active   []app.Lab
}

func (s *Server) adminLabsData(c echo.Context) (adminLabsPage, error) {
	var d adminLabsPage
	var err error
	if d.Proposed, err = s.store.LabsByStatus(c.Request().Context(), app.LabProposed); err != nil {
		return d, err
	}
	d.Active, err = s.store.LabsByStatus(c.Request().Context(), app.LabActive)
	return d, err
}

func (s *Server) adminLabs(c echo.Context) error {
	d, err := s.adminLabsData(c)
	if err != nil {
		return err
	}
	return s.page(c, "labs/admin", "labs.admin_title", d)
}

func (s *Server) adminLabApprove(c echo.Context) error {
	return s.adminLabReview(c, true)
}

func (s *Server) adminLabReject(c echo.Context) error {
	return s.adminLabReview(c, false)
}

func (s *Server) adminLabReview(c echo.Context, approve bool) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.labs.Review(c.Request().Context(), currentUser(c), id, approve, c.FormValue("reason-"+strconv.FormatInt(id, 10))); err != nil {
		if e, ok := app.AsError(err); ok && e.Code == app.CodeInvalid {
			for i := range e.Fields {
				e.Fields[i].Field = "reason-" + strconv.FormatInt(id, 10)
			}
			d, derr := s.adminLabsData(c)
			if derr != nil {
				return derr
			}
			return s.formError(c, "labs/admin", "labs.admin_title", e, d)
		}
		return err
	}
	flash := "labs.rejected"
	if approve {
		flash = "labs.approved"
	}
	return s.redirect(c, "/admin/labs", flash)
}

// labPath is the address of a lab's page.
func labPath(id int64) string { return "/labs/" + strconv.FormatInt(id, 10) }
