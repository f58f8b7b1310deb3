package web

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/abwaegung"
	"github.com/mitwirken/mitwirken/app/export"
	"github.com/mitwirken/mitwirken/app/store"
)

// abwRoundsPage lists the rounds with their batches.
type abwRoundsPage struct {
	Rounds  []*app.Round
	Batches []*store.Batch
	Today   string
}

// BatchesOf are the batches of one round.
func (p *abwRoundsPage) BatchesOf(id int64) []*store.Batch {
	var out []*store.Batch
	for _, b := range p.Batches {
		if b.RoundID == id {
			out = append(out, b)
		}
	}
	return out
}

func (s *Server) abwRoundsData(c echo.Context) (*abwRoundsPage, error) {
	ctx := c.Request().Context()
	d := &abwRoundsPage{Today: abwaegung.Today(s.store.Now())}
	var err error
	if d.Rounds, err = s.store.Rounds(ctx); err != nil {
		return nil, err
	}
	d.Batches, err = s.store.Batches(ctx, 0)
	return d, err
}

func (s *Server) abwRounds(c echo.Context) error {
	d, err := s.abwRoundsData(c)
	if err != nil {
		return err
	}
	return s.page(c, "abwaegung/rounds", "abwaegung.rounds_title", d)
}

func (s *Server) abwStartRound(c echo.Context) error {
	var in app.RoundInput
	if err := bind(c, &in); err != nil {
		return err
	}
	r, _, err := s.store.StartRound(c.Request().Context(), currentUser(c), in)
	if err != nil {
		d, derr := s.abwRoundsData(c)
		if derr != nil {
			return derr
		}
		return s.formError(c, "abwaegung/rounds", "abwaegung.rounds_title", err, d)
	}
	return s.redirect(c, "/abwaegung/runden/"+strconv.FormatInt(r.ID, 10), "abwaegung.round_started")
}

// abwRoundPage is one round: its batches, deadlines and burn-down.
type abwRoundPage struct {
	Round      *app.Round
	Batches    []*store.Batch
	Fachaemter []*app.Fachamt
	Chart      *export.Chart
	Reminders  int64
	Today      string
}

func (s *Server) abwRoundData(c echo.Context) (*abwRoundPage, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	ctx := c.Request().Context()
	d := &abwRoundPage{Today: abwaegung.Today(s.store.Now())}
	if d.Round, err = s.store.RoundByID(ctx, id); err != nil {
		return nil, err
	}
	if d.Batches, err = s.store.Batches(ctx, id); err != nil {
		return nil, err
	}
	if d.Fachaemter, err = s.store.Fachaemter(ctx, false); err != nil {
		return nil, err
	}
	if d.Reminders, err = s.store.CountRoundReminders(ctx, id); err != nil {
		return nil, err
	}
	loc := localizer(c)
	if d.Chart, err = s.abw.BurnDown(ctx, d.Round, loc.T); err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Server) abwRoundTitle(c echo.Context, d *abwRoundPage) string {
	return localizer(c).T("abwaegung.round_title", "Name", d.Round.Name)
}

func (s *Server) abwRound(c echo.Context) error {
	d, err := s.abwRoundData(c)
	if err != nil {
		return err
	}
	return s.formPageTitled(c, "abwaegung/round", s.abwRoundTitle(c, d), nil, d)
}

func (s *Server) abwSetDeadline(c echo.Context) error {
	d, err := s.abwRoundData(c)
	if err != nil {
		return err
	}
	var in app.DeadlineInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := s.store.SetRoundDeadline(c.Request().Context(), currentUser(c), d.Round.ID, in); err != nil {
		return s.renderTitled(c, "abwaegung/round", s.abwRoundTitle(c, d), d, err)
	}
	return s.redirect(c, "/abwaegung/runden/"+strconv.FormatInt(d.Round.ID, 10), "abwaegung.deadline_set")
}

// abwDashboardPage is AG INSEK's overview.
type abwDashboardPage struct {
	ByFachamt []*store.StateCount
	ByChapter []*store.StateCount
	States    []string
	Charts    []*export.Chart
	Rounds    []*app.Round
	Today     string
}

// Sum adds up a column of a table of counts.
func (p *abwDashboardPage) Sum(rows []*store.StateCount, state string) int64 {
	var n int64
	for _, r := range rows {
		switch state {
		case "overdue":
			n += r.Overdue
		case "":
			n += r.Total
		default:
			n += r.ByState[state]
		}
	}
	return n
}

func (s *Server) abwDashboard(c echo.Context) error {
	ctx := c.Request().Context()
	d := &abwDashboardPage{States: app.AssessmentStates, Today: abwaegung.Today(s.store.Now())}
	var err error
	if d.ByFachamt, err = s.store.CountsByFachamt(ctx, d.Today); err != nil {
		return err
	}
	amts, err := s.store.Fachaemter(ctx, true)
	if err != nil {
		return err
	}
	names := map[string]string{"": localizer(c).T("abwaegung.unassigned")}
	for _, f := range amts {
		names[f.Short] = f.Label()
	}
	for _, r := range d.ByFachamt {
		r.Label = names[r.Key]
	}
	if d.ByChapter, err = s.store.CountsByChapter(ctx, d.Today); err != nil {
		return err
	}
	chapters, err := s.store.ExportChapters(ctx)
	if err != nil {
		return err
	}
	titles := map[string]string{"": localizer(c).T("results.no_chapter")}
	order := map[string]int{}
	for i, ch := range chapters {
		key := strconv.FormatInt(ch.ID, 10)
		titles[key], order[key] = ch.Title, i
	}
	for _, r := range d.ByChapter {
		r.Label = titles[r.Key]
	}
	sortCounts(d.ByChapter, order)
	if d.Rounds, err = s.store.Rounds(ctx); err != nil {
		return err
	}
	loc := localizer(c)
	for _, r := range d.Rounds {
		chart, err := s.abw.BurnDown(ctx, r, loc.T)
		if err != nil {
			return err
		}
		d.Charts = append(d.Charts, chart)
	}
	return s.page(c, "abwaegung/dashboard", "abwaegung.dashboard_title", d)
}

// sortCounts puts chapters in reading order, those without one last.
func sortCounts(rows []*store.StateCount, order map[string]int) {
	pos := func(k string) int {
		if p, ok := order[k]; ok {
			return p
		}
		return len(order)
	}
	for i := 1; i < len(rows); i++ {
		for j := i; j > 0 && pos(rows[j].Key) < pos(rows[j-1].Key); j-- {
			rows[j], rows[j-1] = rows[j-1], rows[j]
		}
	}
}
