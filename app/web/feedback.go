package web

import (
	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
)

func (s *Server) feedbackRoutes() {
	s.e.GET("/kontakt", s.contactForm)
	s.e.POST("/rueckmeldung", s.submitFeedback)
	s.e.GET("/kontakt/danke", s.simple("pages/contact_thanks", "feedback.thanks_title"))
}

func (s *Server) contactForm(c echo.Context) error {
	return s.formPage(c, "pages/contact", "feedback.contact_title",
		map[string][]string{"kind": {app.FeedbackContact}, "page_url": {c.QueryParam("seite")}}, nil)
}

func (s *Server) submitFeedback(c echo.Context) error {
	var in app.FeedbackInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := s.feedback.Submit(c.Request().Context(), in, currentUser(c)); err != nil {
		if in.Kind == app.FeedbackAccessibility {
			return s.contentFormError(c, "barrierefreiheit", err)
		}
		return s.formError(c, "pages/contact", "feedback.contact_title", err, nil)
	}
	return s.redirect(c, "/kontakt/danke", "")
}

// contentFormError shows the accessibility statement again with the errors of
// its feedback form.
func (s *Server) contentFormError(c echo.Context, slug string, err error) error {
	b, lerr := s.store.ContentBlock(c.Request().Context(), app.SectionPage, slug)
	if lerr != nil {
		return lerr
	}
	e, ok := app.AsError(err)
	if !ok || e.Code != app.CodeInvalid {
		return err
	}
	values, _ := c.FormParams()
	v := s.view(c, "", contentPage{Block: b, Feedback: true})
	v.Title = b.Title(v.Lang)
	v.Form = newForm(values, e, localizer(c))
	return s.render(c, e.Code.HTTPStatus(), "pages/content", v)
}
