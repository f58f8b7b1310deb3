package web

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/abwaegung"
	"github.com/mitwirken/mitwirken/app/store"
)

// abwaegungAPIRoutes: the Abwägung for document management systems and
// scripts (docs/openapi/60-abwaegung.json). Same rules as the pages.
func (s *Server) abwaegungAPIRoutes() {
	g := s.apiGroup()
	staff := []echo.MiddlewareFunc{requireLogin, s.requireStaff}
	coord := append(append([]echo.MiddlewareFunc{}, staff...), requireCoordinator)
	g.GET("/fachaemter", s.apiFachaemter, staff...)
	g.GET("/fachaemter/:short/queue", s.apiFachamtQueue, staff...)
	g.GET("/fachaemter/:short/queue.xlsx", s.apiFachamtQueueXLSX, staff...)
	s.upload(g.POST("/fachaemter/:short/queue.xlsx", s.apiFachamtUpload, staff...))
	g.GET("/assessments", s.apiAssessments, coord...)
	g.GET("/assessments/:number", s.apiAssessment, staff...)
	g.PUT("/assessments/:number", s.apiSaveDraft, staff...)
	g.POST("/assessments/:number/transitions", s.apiTransition, staff...)
	g.PUT("/assessments/:number/assignment", s.apiAssign, coord...)
}

type apiFachamt struct {
	Short  string           `json:"short"`
	Name   string           `json:"name"`
	Email  string           `json:"email,omitempty"`
	Active bool             `json:"active"`
	Counts map[string]int64 `json:"counts"`
}

func (s *Server) apiFachaemter(c echo.Context) error {
	ctx := c.Request().Context()
	list, err := s.store.Fachaemter(ctx, true)
	if err != nil {
		return err
	}
	counts, err := s.store.StateCountsByFachamt(ctx)
	if err != nil {
		return err
	}
	out := struct {
		Fachaemter []apiFachamt `json:"fachaemter"`
	}{Fachaemter: []apiFachamt{}}
	for _, f := range list {
		cs := map[string]int64{}
		for _, st := range app.AssessmentStates {
			cs[st] = counts[f.ID][st]
		}
		out.Fachaemter = append(out.Fachaemter, apiFachamt{Short: f.Short, Name: f.Name, Email: f.Email, Active: f.Active, Counts: cs})
	}
	return c.JSON(http.StatusOK, out)
}

// apiQueueItem is one contribution of a queue with its assessment's state
// and version.
type apiQueueItem struct {
	Number    string     `json:"number"`
	URL       string     `json:"url"`
	Chapter   string     `json:"chapter"`
	Paragraph string     `json:"paragraph,omitempty"`
	Channel   string     `json:"channel"`
	Text      string     `json:"text"`
	Supports  int        `json:"supports"`
	State     string     `json:"state"`
	Version   int        `json:"version"`
	Result    string     `json:"result"`
	Lead      string     `json:"lead"`
	Cosigners []string   `json:"cosigners"`
	Round     string     `json:"round,omitempty"`
	Deadline  string     `json:"deadline,omitempty"`
	Overdue   bool       `json:"overdue"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt *time.Time `json:"updated_at"`
}

func toAPIQueueItem(r *store.QueueRow, today string) apiQueueItem {
	it := apiQueueItem{Number: r.PublicNumber(), URL: "/abwaegung/" + r.PublicNumber(), Chapter: r.ChapterTitle, Paragraph: r.Paragraph,
		Channel: r.Channel, Text: r.Body, Supports: r.SupportCount, State: r.State, Version: r.Version, Result: r.Result,
		Lead: r.LeadShort, Cosigners: []string{}, Round: r.RoundName, Deadline: r.Deadline, Overdue: r.Overdue(today),
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	for _, co := range r.Cosigners {
		it.Cosigners = append(it.Cosigners, co.Short)
	}
	return it
}

type apiQueue struct {
	Items []apiQueueItem `json:"items"`
	Total int64          `json:"total"`
	Page  int            `json:"page"`
}

func (s *Server) apiQueueJSON(c echo.Context, f store.AssessmentFilter) error {
	if st := c.QueryParam("state"); st != "" {
		if !app.ValidState(st) {
			return app.FieldInvalid("state", "form.choice_invalid")
		}
		f.State = st
	}
	f.Page, f.PerPage = queryInt(c, "page", 1), min(queryInt(c, "per_page", 100), 200)
	rows, total, _, err := s.store.AssessmentQueue(c.Request().Context(), f)
	if err != nil {
		return err
	}
	out := apiQueue{Items: []apiQueueItem{}, Total: total, Page: f.Page}
	for _, r := range rows {
		out.Items = append(out.Items, toAPIQueueItem(r, f.Today))
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) apiFachamtQueue(c echo.Context) error {
	fa, err := s.abw.Fachamt(c.Request().Context(), access(c), c.Param("short"))
	if err != nil {
		return err
	}
	f, _, err := s.queueFilter(c)
	if err != nil {
		return err
	}
	f.FachamtID, f.Scope = fa.ID, nil
	return s.apiQueueJSON(c, f)
}

// apiAssessments lists every assessment (AG INSEK), e.g. the published ones
// for a document management system (?state=published).
func (s *Server) apiAssessments(c echo.Context) error {
	f, _, err := s.queueFilter(c)
	if err != nil {
		return err
	}
	return s.apiQueueJSON(c, f)
}

func (s *Server) apiFachamtQueueXLSX(c echo.Context) error {
	fa, err := s.abw.Fachamt(c.Request().Context(), access(c), c.Param("short"))
	if err != nil {
		return err
	}
	return s.abwWriteXLSX(c, fa)
}

func (s *Server) apiFachamtUpload(c echo.Context) error {
	fa, err := s.abw.Fachamt(c.Request().Context(), access(c), c.Param("short"))
	if err != nil {
		return err
	}
	rep, err := s.abwReadUpload(c, fa)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rep)
}

// apiAssessmentOut is an assessment with its texts and way.
type apiAssessmentOut struct {
	apiQueueItem
	Reasoning    string             `json:"reasoning"`
	Anchor       string             `json:"anchor,omitempty"`
	ChangeAnchor string             `json:"change_anchor,omitempty"`
	ChangeText   string             `json:"change_text,omitempty"`
	Versions     []apiVersion       `json:"versions"`
	Transitions  []apiTransitionOut `json:"transitions"`
}

type apiVersion struct {
	Number    int       `json:"number"`
	Author    string    `json:"author"`
	Role      string    `json:"role"`
	Fachamt   string    `json:"fachamt,omitempty"`
	Source    string    `json:"source"`
	Result    string    `json:"result"`
	Reasoning string    `json:"reasoning"`
	Change    string    `json:"change_text,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

type apiTransitionOut struct {
	Action  string    `json:"action"`
	From    string    `json:"from"`
	To      string    `json:"to"`
	Actor   string    `json:"actor"`
	Role    string    `json:"role"`
	Comment string    `json:"comment,omitempty"`
	At      time.Time `json:"at"`
}

func (s *Server) apiAssessmentJSON(c echo.Context, status int) error {
	d, _, err := s.abwAssessmentData(c)
	if r, ok := err.(*redirectTo); ok {
		return c.Redirect(http.StatusSeeOther, "/api/v1/assessments/"+r.path[len("/abwaegung/"):])
	}
	if err != nil {
		return err
	}
	v := s.view(c, "", nil)
	out := apiAssessmentOut{apiQueueItem: toAPIQueueItem(d.Row, d.Today), Versions: []apiVersion{}, Transitions: []apiTransitionOut{}}
	if a := d.Assessment; a != nil {
		out.Reasoning, out.Anchor, out.ChangeAnchor, out.ChangeText = a.Reasoning, a.Anchor, a.ChangeAnchor, a.ChangeText
	}
	for _, ver := range d.Versions {
		out.Versions = append(out.Versions, apiVersion{Number: ver.Number, Author: v.UserName(ver.Author()), Role: ver.AuthorRole,
			Fachamt: ver.FachamtShort, Source: ver.Source, Result: ver.Result, Reasoning: ver.Reasoning, Change: ver.ChangeText, CreatedAt: ver.CreatedAt})
	}
	for _, t := range d.Transitions {
		actor := v.T("abwaegung.system")
		if t.ActorID != nil {
			actor = v.UserName(t.Actor())
		}
		out.Transitions = append(out.Transitions, apiTransitionOut{Action: t.Action, From: t.FromState, To: t.ToState, Actor: actor,
			Role: t.ActorRole, Comment: t.Comment, At: t.CreatedAt})
	}
	return c.JSON(status, out)
}

func (s *Server) apiAssessment(c echo.Context) error { return s.apiAssessmentJSON(c, http.StatusOK) }

// apiAct binds the body of a change to an assessment, lets the service
// apply it and answers with the assessment as it is now.
func apiAct[T any](s *Server, c echo.Context, apply func(ctx context.Context, acc *abwaegung.Access, id int64, in T) error) error {
	id, err := s.abwContributionID(c)
	if err != nil {
		return err
	}
	var in T
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := apply(c.Request().Context(), access(c), id, in); err != nil {
		return err
	}
	return s.apiAssessmentJSON(c, http.StatusOK)
}

func (s *Server) apiSaveDraft(c echo.Context) error {
	return apiAct(s, c, func(ctx context.Context, acc *abwaegung.Access, id int64, in app.DraftInput) error {
		_, err := s.abw.SaveDraft(ctx, acc, id, in, abwaegung.SourceAPI)
		return err
	})
}

func (s *Server) apiTransition(c echo.Context) error {
	return apiAct(s, c, func(ctx context.Context, acc *abwaegung.Access, id int64, in app.TransitionInput) error {
		_, err := s.abw.Transition(ctx, acc, id, in)
		return err
	})
}

func (s *Server) apiAssign(c echo.Context) error {
	return apiAct(s, c, func(ctx context.Context, acc *abwaegung.Access, id int64, in abwaegung.AssignInput) error {
		_, err := s.abw.Assign(ctx, acc, id, in)
		return err
	})
}
