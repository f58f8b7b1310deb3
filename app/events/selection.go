package events

import (
	"context"
	"errors"
	"strconv"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/selection"
	"github.com/mitwirken/mitwirken/app/store"
)

// QuotaDrawer is the default Drawer: leximin (or the algorithm the
// organisers chose) when the pool has quotas or households, the uniform
// lottery when it has neither.
func QuotaDrawer(ctx context.Context, pool selection.Pool, seats int, alg selection.Algorithm) (*selection.Distribution, error) {
	if !pool.HasQuotas() {
		alg = selection.Uniform
	} else if alg == "" || alg == selection.Uniform {
		alg = selection.Leximin
	}
	return selection.Compute(ctx, pool, seats, selection.Options{Algorithm: alg})
}

// FrozenPool is the pool of an event's draw as the engine sees it, with the
// figures the admin page shows.
type FrozenPool struct {
	Pool       selection.Pool
	Seats      int
	Algorithm  selection.Algorithm
	Categories []*app.SelectionCategory
	Settings   *app.SelectionSettings
	// Counts are the applicants per value id.
	Counts map[int64]int
	// Regs are the applicants' registrations by pseudonym.
	Regs map[string]*app.Registration
}

// Quotas reports whether the draw needs the quota engine (categories or the
// household rule): the computation then runs in the background.
func (p *FrozenPool) Quotas() bool { return p.Pool.HasQuotas() }

// BuildPool assembles the pool of a selection event from its current
// applicants: pseudonymous ids, the value of every category (answers the
// applicant did not give count as the category's "no answer" value) and,
// with the household rule, a household key.
func (s *Service) BuildPool(ctx context.Context, st *store.Store, ev *app.Event) (*FrozenPool, error) {
	cats, err := st.SelectionCategories(ctx, ev.ID)
	if err != nil {
		return nil, err
	}
	settings, err := st.SelectionSettingsOf(ctx, ev.ID)
	if err != nil {
		return nil, err
	}
	applicants, err := st.SelectionApplicants(ctx, ev.ID)
	if err != nil {
		return nil, err
	}
	gebiete, err := st.Stadtgebiete(ctx)
	if err != nil {
		return nil, err
	}
	fp := &FrozenPool{Categories: cats, Settings: settings, Counts: map[int64]int{}, Regs: map[string]*app.Registration{},
		Pool: selection.Pool{Categories: []selection.Category{}}}
	fp.Algorithm, _ = selection.ParseAlgorithm(settings.Algorithm)
	for _, c := range cats {
		sc := selection.Category{Name: c.Name}
		for _, v := range c.Values {
			sc.Values = append(sc.Values, selection.Quota{Value: v.Label, Min: v.MinSeats, Max: v.MaxSeats})
		}
		fp.Pool.Categories = append(fp.Pool.Categories, sc)
	}
	for _, a := range applicants {
		r := a.Registration
		fp.Regs[r.Pseudonym] = r
		p := selection.Person{ID: r.Pseudonym}
		if len(cats) > 0 {
			p.Values = map[string]string{}
		}
		for _, c := range cats {
			v := valueFor(c, answerCode(c, a, gebiete))
			if v == nil {
				continue // a category without a "no answer" value: the engine reports the person
			}
			p.Values[c.Name] = v.Label
			fp.Counts[v.ID]++
		}
		if settings.Household == app.HouseholdEmailSurname && a.User != nil {
			p.Household = app.HouseholdKey(a.User.EmailAddress(), a.User.DisplayName)
		}
		fp.Pool.People = append(fp.Pool.People, p)
	}
	fp.Seats = min(ev.Capacity, len(applicants))
	return fp, nil
}

// answerCode is what an applicant answered for a category.
func answerCode(c *app.SelectionCategory, a store.PoolApplicant, gebiete []*app.Stadtgebiet) string {
	r := a.Registration
	switch c.Source {
	case app.SourceStadtgebiet:
		if g := store.StadtgebietOf(gebiete, r.AnswerOrtsteil); g != nil && r.AnswerOrtsteil != "" {
			return strconv.FormatInt(g.ID, 10)
		}
	case app.SourceAge:
		return r.AnswerAge
	case app.SourceGender:
		return r.AnswerGender
	case app.SourceFirstTime:
		return r.AnswerFirstTime
	case app.SourceFree:
		return a.Answers[c.ID]
	}
	return ""
}

func valueFor(c *app.SelectionCategory, code string) *app.SelectionValue {
	var none *app.SelectionValue
	for _, v := range c.Values {
		if v.Code == code {
			return v
		}
		if v.Code == "" {
			none = v
		}
	}
	return none
}

// Feasibility is the check shown before the draw.
type Feasibility struct {
	Pool *FrozenPool
	// Changes is nil when the quotas can be met; otherwise the smallest
	// change that makes them feasible, as messages.
	Changes []app.Msg
}

// CheckQuotas decides whether the quotas of an event can be met by the
// current applicants, and if not, what to change.
func (s *Service) CheckQuotas(ctx context.Context, ev *app.Event) (*Feasibility, error) {
	fp, err := s.BuildPool(ctx, s.Store, ev)
	if err != nil {
		return nil, err
	}
	f := &Feasibility{Pool: fp}
	if !fp.Quotas() || fp.Seats == 0 {
		return f, nil
	}
	inf, err := selection.CheckFeasible(ctx, fp.Pool, fp.Seats)
	if err != nil {
		return nil, app.Internal(err)
	}
	if inf != nil {
		f.Changes = ChangeMessages(inf)
	}
	return f, nil
}

// ChangeMessages translates the engine's suggestions into messages.
func ChangeMessages(inf *selection.Infeasibility) []app.Msg {
	var out []app.Msg
	for _, c := range inf.Changes {
		id := "selection.change." + c.Kind
		if c.Kind == "min" && c.Available < c.Current {
			id = "selection.change.min_count"
		}
		out = append(out, app.M(id, "Category", c.Category, "Value", c.Value, "Current", c.Current,
			"Suggested", c.Suggested, "Available", c.Available,
			// The numbers with their nouns, each in its own plural form.
			"CurrentN", app.M("events.n_seats", "Count", c.Current),
			"AvailableN", app.M("selection.n_applications", "Count", c.Available)))
	}
	return out
}

// InfeasibleError carries the suggested changes to the page.
type InfeasibleError struct{ Changes []app.Msg }

func (e *InfeasibleError) Error() string { return "quotas infeasible" }

// RequestDraw is the moderator's "announce": without quotas the uniform
// lottery is computed at once (it is instant) and announced; with quotas
// the feasibility is checked first (an infeasible quota stops everything
// with the smallest fix named) and the computation queued as a background
// job that any instance may run. It reports whether the draw is announced
// already.
func (s *Service) RequestDraw(ctx context.Context, actor *app.User, eventID int64, in app.DrawAnnounceInput) (bool, error) {
	if err := in.Validate(); err != nil {
		return false, err
	}
	ev, err := s.Store.EventByID(ctx, eventID)
	if err != nil {
		return false, err
	}
	if ev.Allocation != app.AllocSelection {
		return false, app.Errorf(app.CodeConflict, "events.draw_not_selection")
	}
	f, err := s.CheckQuotas(ctx, ev)
	if err != nil {
		return false, err
	}
	if !f.Pool.Quotas() {
		_, err := s.AnnounceDraw(ctx, actor, eventID, in)
		return err == nil, err
	}
	if len(f.Pool.Pool.People) == 0 {
		return false, app.FieldInvalid("seed_source", "events.draw_no_applicants")
	}
	if f.Changes != nil {
		return false, &InfeasibleError{Changes: f.Changes}
	}
	if err := s.Store.RequestDraw(ctx, actor, eventID, in.SeedSource); err != nil {
		return false, err
	}
	s.kickSelectionJobs()
	return false, nil
}

// kickSelectionJobs runs pending computations on this instance now instead
// of waiting for the next job pass.
func (s *Service) kickSelectionJobs() {
	base := s.Background
	if base == nil {
		base = context.Background()
	}
	go func() {
		if _, err := s.RunSelectionJobs(base); err != nil && !errors.Is(err, context.Canceled) {
			s.Log.Warn("selection job failed", "err", err)
		}
	}()
}

// RunSelectionJobs computes queued draws: claim (one instance wins), compute
// outside any transaction, then announce and finish the job in one
// transaction. A failure is recorded on the job for the admin page.
func (s *Service) RunSelectionJobs(ctx context.Context) (int, error) {
	done := 0
	for ctx.Err() == nil {
		j, err := s.Store.ClaimSelectionJob(ctx, s.Worker)
		if err != nil || j == nil {
			return done, err
		}
		err = s.runSelectionJob(ctx, j)
		if err == nil {
			done++
			continue
		}
		if ctx.Err() != nil {
			return done, ctx.Err() // shutting down: another pass (or instance) retries after the lease
		}
		errID := "selection.job_failed"
		if e, ok := app.AsError(err); ok && e.Code != app.CodeInternal && e.Code != app.CodeUnavailable {
			errID = e.Msg.ID
		}
		var inf *selection.Infeasibility
		var infQuotas *InfeasibleError
		if errors.As(err, &inf) || errors.As(err, &infQuotas) {
			errID = "selection.job_infeasible"
		}
		s.Log.Warn("selection job failed", "event", j.EventID, "err", err)
		if _, err := s.Store.FinishSelectionJob(ctx, j, app.JobFailed, errID); err != nil {
			return done, err
		}
	}
	return done, ctx.Err()
}

func (s *Service) runSelectionJob(ctx context.Context, j *app.SelectionJob) error {
	ev, err := s.Store.EventByID(ctx, j.EventID)
	if err != nil {
		return err
	}
	var actor *app.User
	if j.RequestedBy != nil {
		if actor, err = s.Store.UserByID(ctx, *j.RequestedBy); err != nil && app.ErrorCode(err) != app.CodeNotFound {
			return err
		}
	}
	d, pool, err := s.computeDraw(ctx, ev, app.DrawAnnounceInput{SeedSource: j.SeedSource})
	if err != nil {
		return err
	}
	return s.Store.Tx(ctx, func(tx *store.Store) error {
		ok, err := tx.FinishSelectionJob(ctx, j, app.JobDone, "")
		if err != nil {
			return err
		}
		if !ok {
			return app.Errorf(app.CodeConflict, "selection.job_running") // taken over meanwhile
		}
		return tx.AnnounceDraw(ctx, actor, d, pool)
	})
}
