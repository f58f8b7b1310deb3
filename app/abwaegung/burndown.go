package abwaegung

import (
	"context"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/export"
)

// BurnDown is the chart of a round: for each working day from the round's
// start to its deadline (or today, if later), how many of its assessments
// were not yet published at the end of the day, beside the even pace that
// reaches zero on the deadline. It reuses the report's server-drawn chart
// with its data table.
func (s *Service) BurnDown(ctx context.Context, r *app.Round, t export.Translate) (*export.Chart, error) {
	published, err := s.Store.RoundProgress(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	start := r.CreatedAt.In(app.Berlin)
	start = time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, app.Berlin)
	end, ok := app.DeadlineDay(r.Deadline)
	if !ok || end.Before(start) {
		end = start
	}
	now := s.Store.Now().In(app.Berlin)
	last := end
	if now.After(last) {
		last = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, app.Berlin)
	}
	var days []time.Time
	for d := start; !d.After(last) && len(days) < 400; d = d.AddDate(0, 0, 1) {
		if WorkingDay(d) || d.Equal(start) {
			days = append(days, d)
		}
	}
	planned := 0
	for _, d := range days {
		if !d.After(end) {
			planned++
		}
	}
	total := len(published)
	c := &export.Chart{ID: "chart-burndown-" + itoa(r.ID), Title: t("abwaegung.burndown_title", "Name", r.Name),
		KeyLabel: t("abwaegung.burndown_day"), ValueLabel: t("abwaegung.burndown_open"), Value2Label: t("abwaegung.burndown_ideal")}
	for i, d := range days {
		dayEnd := d.AddDate(0, 0, 1)
		open := 0
		for _, p := range published {
			if p == nil || !p.Before(dayEnd) {
				open++
			}
		}
		ideal := 0
		if planned > 1 && i < planned {
			ideal = total - total*i/(planned-1)
		}
		bar := export.Bar{Label: d.Format("02.01.2006"), Value: open, Value2: ideal}
		if d.After(now) {
			bar.Value, bar.Display = 0, "–"
		}
		c.Bars = append(c.Bars, bar)
	}
	c.Layout()
	return c, nil
}
