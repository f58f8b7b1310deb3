package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/i18n"
)

// toAppError turns whatever a handler or middleware returned into an
// app.Error with a code.
func toAppError(err error) *app.Error {
	if e, ok := app.AsError(err); ok {
		return e
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		switch he.Code {
		case http.StatusNotFound, http.StatusMethodNotAllowed:
			return app.NotFound()
		case http.StatusRequestEntityTooLarge:
			return app.Errorf(app.CodeTooLarge, "error.too_large")
		case http.StatusForbidden:
			return errCSRF
		case http.StatusBadRequest, http.StatusUnsupportedMediaType:
			return &app.Error{Code: app.CodeInvalid, Msg: app.M("error.bad_request"), Err: err}
		case http.StatusUnauthorized:
			return app.Unauthorized()
		case http.StatusServiceUnavailable:
			return app.Unavailable(err)
		}
	}
	return app.Internal(err)
}

// handleError answers with a German (or English) error page, or with a JSON
// error on the API.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	e := toAppError(err)
	status := e.Code.HTTPStatus()
	switch {
	case e.Code == app.CodeInternal:
		s.log.Error("internal error", "path", c.Request().URL.Path, "err", e.Err)
	case e.Code == app.CodeUnavailable:
		s.log.Warn("dependency unavailable", "path", c.Request().URL.Path, "err", e.Err)
	}
	if e.RetryAfter > 0 {
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds()+0.999)))
	}
	if c.Get(ctxLocalizer) == nil {
		// The error happened before the language was chosen (e.g. a bad token).
		c.Set(ctxLocalizer, s.i18n.Localizer(i18n.Match(c.QueryParam("lang"), c.Request().Header.Get("Accept-Language"))))
	}
	if isAPI(c) {
		_ = c.JSON(status, apiErrorBody(e, c))
		return
	}
	if e.Code == app.CodeUnauthorized && c.Request().Method == http.MethodGet {
		_ = c.Redirect(http.StatusSeeOther, "/anmelden?next="+url.QueryEscape(c.Request().URL.RequestURI()))
		return
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	v := s.view(c, "error_title."+string(e.Code), e)
	v.Status = status
	if rerr := s.render(c, status, "errors/error", v); rerr != nil {
		s.log.Error("render error page", "err", rerr)
		_ = c.String(status, http.StatusText(status))
	}
}

// apiError is the JSON shape of every API error.
type apiError struct {
	Error apiErrorDetail `json:"error"`
}

type apiErrorDetail struct {
	Code    app.Code          `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

func apiErrorBody(e *app.Error, c echo.Context) apiError {
	loc := localizer(c)
	d := apiErrorDetail{Code: e.Code, Message: loc.Msg(e.Msg)}
	if len(e.Fields) > 0 {
		d.Fields = map[string]string{}
		for _, f := range e.Fields {
			if _, dup := d.Fields[f.Field]; !dup {
				d.Fields[f.Field] = loc.Msg(f.Msg)
			}
		}
	}
	return apiError{Error: d}
}

func errCodeOf(err error) string { return string(app.ErrorCode(err)) }

func statusOf(err error) int { return toAppError(err).Code.HTTPStatus() }
