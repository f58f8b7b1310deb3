package web

import (
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/draft"
)

func (s *Server) draftAdminRoutes() {
	g := s.adminGroup()
	admin := requireRole(app.RoleAdmin)
	g.GET("/entwurf", s.adminDocuments, admin)
	g.POST("/entwurf", s.adminCreateDocument, admin)
	g.GET("/entwurf/:id", s.adminDocument, admin)
	g.POST("/entwurf/:id", s.adminUpdateDocument, admin)
	g.POST("/entwurf/:id/zeitraeume", s.adminAddPeriod, admin)
	g.POST("/entwurf/:id/zeitraeume/:pid/loeschen", s.adminDeletePeriod, admin)
	g.GET("/entwurf/:id/kapitel/neu", s.adminNewChapter, admin)
	g.POST("/entwurf/:id/kapitel/neu", s.adminCreateChapter, admin)
	g.GET("/entwurf/kapitel/:cid", s.adminChapter, admin)
	g.POST("/entwurf/kapitel/:cid", s.adminUpdateChapter, admin)
}

type adminDocumentsPage struct {
	Documents []draft.DocumentOverview
}

func (s *Server) adminDocumentsData(c echo.Context) (adminDocumentsPage, error) {
	docs, err := s.draft.Documents(c.Request().Context(), true)
	return adminDocumentsPage{Documents: docs}, err
}

func (s *Server) adminDocuments(c echo.Context) error {
	d, err := s.adminDocumentsData(c)
	if err != nil {
		return err
	}
	return s.formPage(c, "admin/draft_documents", "draft_admin.documents_title", url.Values{"moderation": {app.ModerationPre}}, d)
}

func (s *Server) adminCreateDocument(c echo.Context) error {
	var in app.DocumentInput
	if err := bind(c, &in); err != nil {
		return err
	}
	in.Clean()
	err := in.Validate()
	var doc *app.DraftDocument
	if err == nil {
		doc, err = s.store.SaveDocument(c.Request().Context(), currentUser(c), 0, in)
	}
	if err != nil {
		d, derr := s.adminDocumentsData(c)
		if derr != nil {
			return derr
		}
		return s.formError(c, "admin/draft_documents", "draft_admin.documents_title", err, d)
	}
	return s.redirect(c, "/admin/entwurf/"+strconv.FormatInt(doc.ID, 10), "draft_admin.document_saved")
}

type adminDocumentPage struct {
	Overview draft.DocumentOverview
}

func (s *Server) adminDocumentData(c echo.Context) (*adminDocumentPage, url.Values, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	docs, err := s.draft.Documents(c.Request().Context(), true)
	if err != nil {
		return nil, nil, err
	}
	for _, d := range docs {
		if d.Document.ID == id {
			doc := d.Document
			values := url.Values{"title": {doc.Title}, "slug": {doc.Slug}, "intro": {doc.Intro}, "moderation": {doc.Moderation}}
			if doc.Published {
				values.Set("published", "true")
			}
			return &adminDocumentPage{Overview: d}, values, nil
		}
	}
	return nil, nil, app.NotFound()
}

func (s *Server) adminDocumentTitle(c echo.Context, d *adminDocumentPage) string {
	return localizer(c).T("draft_admin.document_title", "Title", d.Overview.Document.Title)
}

func (s *Server) adminDocument(c echo.Context) error {
	d, values, err := s.adminDocumentData(c)
	if err != nil {
		return err
	}
	v := s.view(c, "", d)
	v.Title = s.adminDocumentTitle(c, d)
	v.Form = &Form{Values: values, Errors: map[string]string{}}
	return s.render(c, 200, "admin/draft_document", v)
}

// adminDocumentAction runs a change of the document page and returns to it,
// or re-renders it with the errors of the submitted form.
func (s *Server) adminDocumentAction(c echo.Context, flash string, act func(d *adminDocumentPage) error) error {
	d, values, err := s.adminDocumentData(c)
	if err != nil {
		return err
	}
	if err := act(d); err != nil {
		return s.renderTitled(c, "admin/draft_document", s.adminDocumentTitle(c, d), d, err, values)
	}
	return s.redirect(c, "/admin/entwurf/"+strconv.FormatInt(d.Overview.Document.ID, 10), flash)
}

func (s *Server) adminUpdateDocument(c echo.Context) error {
	var in app.DocumentInput
	if err := bind(c, &in); err != nil {
		return err
	}
	return s.adminDocumentAction(c, "draft_admin.document_saved", func(d *adminDocumentPage) error {
		in.Clean()
		if err := in.Validate(); err != nil {
			return err
		}
		_, err := s.store.SaveDocument(c.Request().Context(), currentUser(c), d.Overview.Document.ID, in)
		return err
	})
}

func (s *Server) adminAddPeriod(c echo.Context) error {
	var in app.PeriodInput
	if err := bind(c, &in); err != nil {
		return err
	}
	return s.adminDocumentAction(c, "draft_admin.period_added", func(d *adminDocumentPage) error {
		p, err := in.Parse(berlin)
		if err != nil {
			return err
		}
		p.DocumentID = d.Overview.Document.ID
		return s.store.AddPeriod(c.Request().Context(), currentUser(c), &p)
	})
}

func (s *Server) adminDeletePeriod(c echo.Context) error {
	pid, err := pathID(c, "pid")
	if err != nil {
		return err
	}
	return s.adminDocumentAction(c, "draft_admin.period_deleted", func(d *adminDocumentPage) error {
		return s.store.DeletePeriod(c.Request().Context(), currentUser(c), d.Overview.Document.ID, pid)
	})
}

type adminChapterPage struct {
	Document *app.DraftDocument
	Chapter  *app.DraftChapter
	Versions []app.DraftVersion
}

func (s *Server) adminNewChapterData(c echo.Context) (*adminChapterPage, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	doc, err := s.store.DocumentByID(c.Request().Context(), id)
	if err != nil {
		return nil, err
	}
	return &adminChapterPage{Document: doc}, nil
}

func (s *Server) adminNewChapter(c echo.Context) error {
	d, err := s.adminNewChapterData(c)
	if err != nil {
		return err
	}
	return s.formPage(c, "admin/draft_chapter", "draft_admin.chapter_new_title", url.Values{}, d)
}

func (s *Server) adminCreateChapter(c echo.Context) error {
	d, err := s.adminNewChapterData(c)
	if err != nil {
		return err
	}
	var in app.ChapterInput
	if err := bind(c, &in); err != nil {
		return err
	}
	ch, _, err := s.draft.SaveChapter(c.Request().Context(), currentUser(c), d.Document.ID, 0, in)
	if err != nil {
		return s.formError(c, "admin/draft_chapter", "draft_admin.chapter_new_title", err, d)
	}
	return s.redirect(c, "/admin/entwurf/kapitel/"+strconv.FormatInt(ch.ID, 10), "draft_admin.chapter_saved")
}

func (s *Server) adminChapterData(c echo.Context) (*adminChapterPage, url.Values, error) {
	id, err := pathID(c, "cid")
	if err != nil {
		return nil, nil, err
	}
	ctx := c.Request().Context()
	ch, err := s.store.ChapterByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	doc, err := s.store.DocumentByID(ctx, ch.DocumentID)
	if err != nil {
		return nil, nil, err
	}
	versions, err := s.store.Versions(ctx, ch.ID)
	if err != nil {
		return nil, nil, err
	}
	values := url.Values{"title": {ch.Title}, "slug": {ch.Slug}, "fachamt": {ch.Fachamt}, "position": {strconv.Itoa(ch.Position)}}
	if ch.CurrentVersionID != nil {
		v, err := s.store.VersionByID(ctx, *ch.CurrentVersionID)
		if err != nil {
			return nil, nil, err
		}
		values.Set("body", v.Body)
	}
	return &adminChapterPage{Document: doc, Chapter: ch, Versions: versions}, values, nil
}

func (s *Server) adminChapterTitle(c echo.Context, d *adminChapterPage) string {
	return localizer(c).T("draft_admin.chapter_title", "Title", d.Chapter.Title)
}

func (s *Server) adminChapter(c echo.Context) error {
	d, values, err := s.adminChapterData(c)
	if err != nil {
		return err
	}
	v := s.view(c, "", d)
	v.Title = s.adminChapterTitle(c, d)
	v.Form = &Form{Values: values, Errors: map[string]string{}}
	return s.render(c, 200, "admin/draft_chapter", v)
}

func (s *Server) adminUpdateChapter(c echo.Context) error {
	d, _, err := s.adminChapterData(c)
	if err != nil {
		return err
	}
	var in app.ChapterInput
	if err := bind(c, &in); err != nil {
		return err
	}
	_, added, err := s.draft.SaveChapter(c.Request().Context(), currentUser(c), d.Document.ID, d.Chapter.ID, in)
	if err != nil {
		return s.renderTitled(c, "admin/draft_chapter", s.adminChapterTitle(c, d), d, err)
	}
	flash := "draft_admin.chapter_saved"
	if added {
		flash = "draft_admin.version_added"
	}
	return s.redirect(c, "/admin/entwurf/kapitel/"+strconv.FormatInt(d.Chapter.ID, 10), flash)
}
