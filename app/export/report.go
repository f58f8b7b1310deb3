package export

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// MinCell is the smallest number of people a demographic figure may show
// (k-anonymity): smaller cells are suppressed.
const MinCell = 5

// Cell is one demographic figure; Hidden cells are shown as "< 5" at most.
type Cell struct {
	Key    string
	Label  string
	N      int
	Hidden bool
}

// Suppress hides every cell with fewer than k people. When that hides
// exactly one cell of several, the smallest remaining cell is hidden too,
// so the hidden figure cannot be worked out from a known total.
func Suppress(counts []store.Count, k int) []Cell {
	out := make([]Cell, len(counts))
	hidden := 0
	for i, c := range counts {
		out[i] = Cell{Key: c.Key, N: c.N, Hidden: c.N < k}
		if out[i].Hidden {
			hidden++
		}
	}
	if hidden == 1 && len(out) > 1 {
		small := -1
		for i, c := range out {
			if !c.Hidden && (small < 0 || c.N < out[small].N) {
				small = i
			}
		}
		if small >= 0 {
			out[small].Hidden = true
		}
	}
	for i := range out {
		if out[i].Hidden {
			out[i].N = 0
		}
	}
	return out
}

// Bar is one bar of a chart; Value2 is the optional second series.
type Bar struct {
	Label string
	// Short is the label cut to fit beside the bar; the table has it whole.
	Short             string
	Value, Value2     int
	Display, Display2 string
	// Geometry of the SVG, computed here so that the template only prints.
	Y, TextY, W, W2, Y2, ValueX, ValueX2 int
}

// Chart is a horizontal bar chart drawn as SVG by the server, with its data
// table as the text alternative.
type Chart struct {
	ID, Title               string
	KeyLabel                string
	ValueLabel, Value2Label string
	Bars                    []Bar
	Height                  int
	Note                    string
	// DataSummary, when set, folds the data table into a <details> with
	// this summary (the dashboard); the report always shows it.
	DataSummary string
}

const (
	chartLabelW = 230
	chartBarW   = 340
	chartRow    = 22
)

// Layout computes the bar geometry of a chart built elsewhere (the
// Abwägung's burn-down).
func (c *Chart) Layout() { c.layout() }

// layout computes the bar geometry.
func (c *Chart) layout() {
	top := 1
	for _, b := range c.Bars {
		top = max(top, b.Value, b.Value2)
	}
	y := 4
	for i := range c.Bars {
		b := &c.Bars[i]
		b.Short = shorten(b.Label, 33)
		if b.Display == "" {
			b.Display = strconv.Itoa(b.Value)
		}
		b.Y, b.TextY = y, y+13
		b.W = b.Value * chartBarW / top
		b.ValueX = chartLabelW + b.W + 6
		y += chartRow
		if c.Value2Label != "" {
			if b.Display2 == "" {
				b.Display2 = strconv.Itoa(b.Value2)
			}
			b.Y2 = y - 6
			b.W2 = b.Value2 * chartBarW / top
			b.ValueX2 = chartLabelW + b.W2 + 6
			y += chartRow - 4
		}
	}
	c.Height = y + 4
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// Report is the Beteiligungsbericht: figures, charts and the Abwägung.
type Report struct {
	GeneratedAt                              time.Time
	Contributions, Published, Assessed       int
	AssessmentsPublished, Participants       int
	Events, Seats, Registrations, Attendance int
	Formats                                  []FormatFigures
	Charts                                   []*Chart
	Age, Gender                              []Cell
	MinCell                                  int
}

// FormatFigures sum the events of one format.
type FormatFigures struct {
	Format                                            string
	Label                                             string
	Events, Seats, Registrations, Confirmed, Attended int
}

// Chart returns the chart with the id, or nil.
func (r *Report) Chart(id string) *Chart {
	for _, c := range r.Charts {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// BuildReport gathers the report in the language of t.
func BuildReport(ctx context.Context, st *store.Store, t Translate, lang string) (*Report, error) {
	r := &Report{GeneratedAt: st.Now(), MinCell: MinCell}
	ref, err := st.LoadRefData(ctx)
	if err != nil {
		return nil, err
	}
	// Per chapter, in reading order.
	perChapter, err := st.ContributionsPerChapter(ctx)
	if err != nil {
		return nil, err
	}
	byChapter := map[string]int{}
	for _, c := range perChapter {
		byChapter[c.Key] = c.N
		r.Contributions += c.N
	}
	chapters, err := st.ExportChapters(ctx)
	if err != nil {
		return nil, err
	}
	ch := &Chart{ID: "chart-chapters", Title: t("results.report.chart_chapters"), KeyLabel: t("results.col.chapter"), ValueLabel: t("results.col.count")}
	for _, c := range chapters {
		ch.Bars = append(ch.Bars, Bar{Label: c.Title, Value: byChapter[strconv.FormatInt(c.ID, 10)]})
	}
	if n := byChapter[""]; n > 0 {
		ch.Bars = append(ch.Bars, Bar{Label: t("results.no_chapter"), Value: n})
	}
	r.Charts = append(r.Charts, ch)
	// Per Zielfeld and Handlungsschwerpunkt.
	perZ, err := st.ContributionsPerZielfeld(ctx)
	if err != nil {
		return nil, err
	}
	perH, err := st.ContributionsPerHandlungsschwerpunkt(ctx)
	if err != nil {
		return nil, err
	}
	zc := &Chart{ID: "chart-zielfelder", Title: t("results.report.chart_zielfelder"), KeyLabel: t("results.report.zielfeld"), ValueLabel: t("results.col.count")}
	for _, z := range ref.Zielfelder {
		zc.Bars = append(zc.Bars, Bar{Label: z.Name(lang), Value: find(perZ, z.Code)})
	}
	hc := &Chart{ID: "chart-hs", Title: t("results.report.chart_hs"), KeyLabel: t("results.report.hs"), ValueLabel: t("results.col.count")}
	for _, h := range ref.Handlungsschwerpunkte {
		hc.Bars = append(hc.Bars, Bar{Label: h.Name(lang), Value: find(perH, h.Code)})
	}
	r.Charts = append(r.Charts, zc, hc)
	// Per Stadtbezirk.
	bez, err := st.FiguresByBezirk(ctx)
	if err != nil {
		return nil, err
	}
	bc := &Chart{ID: "chart-bezirke", Title: t("results.report.chart_bezirke"), KeyLabel: t("results.fig.stadtbezirk"),
		ValueLabel: t("results.fig.contributions"), Value2Label: t("results.fig.participants")}
	for _, b := range ref.Stadtbezirke {
		bar := Bar{Label: b.Name}
		if f := bez[b.Code]; f != nil {
			bar.Value, bar.Value2 = f.Contributions, f.Participants
			r.Participants += f.Participants
		}
		bc.Bars = append(bc.Bars, bar)
	}
	r.Charts = append(r.Charts, bc)
	// Over time, by calendar week.
	days, err := st.ContributionsPerDay(ctx)
	if err != nil {
		return nil, err
	}
	r.Charts = append(r.Charts, weekChart(days, t))
	// Assessment progress.
	progress, err := st.AssessmentProgress(ctx)
	if err != nil {
		return nil, err
	}
	ac := &Chart{ID: "chart-assessment", Title: t("results.report.chart_assessment"), KeyLabel: t("results.col.assessment"), ValueLabel: t("results.col.count")}
	ac.Bars = append(ac.Bars, Bar{Label: t("contribution.assessment_none"), Value: find(progress, "")})
	for _, a := range app.AssessmentStatuses {
		n := find(progress, a)
		r.Assessed += n
		ac.Bars = append(ac.Bars, Bar{Label: t("contribution.assessment." + a), Value: n})
	}
	r.Published = r.Assessed + find(progress, "")
	r.AssessmentsPublished = find(progress, "published")
	r.Charts = append(r.Charts, ac)
	// Seats and registrations per event, and per format.
	evs, err := st.AllEventFigures(ctx)
	if err != nil {
		return nil, err
	}
	sc := &Chart{ID: "chart-seats", Title: t("results.report.chart_seats"), KeyLabel: t("results.fig.event"),
		ValueLabel: t("results.fig.capacity"), Value2Label: t("results.fig.registrations")}
	formats := map[string]*FormatFigures{}
	for _, ef := range evs {
		c := ef.Counts
		regs := c.Active()
		sc.Bars = append(sc.Bars, Bar{Label: ef.Event.Title, Value: ef.Event.Capacity, Value2: regs})
		f := formats[string(ef.Event.Format)]
		if f == nil {
			f = &FormatFigures{Format: string(ef.Event.Format), Label: t("events.format." + string(ef.Event.Format))}
			formats[f.Format] = f
		}
		f.Events++
		f.Seats += ef.Event.Capacity
		f.Registrations += regs
		f.Confirmed += c.Confirmed
		f.Attended += c.CheckedIn
		r.Events++
		r.Seats += ef.Event.Capacity
		r.Registrations += regs
		r.Attendance += c.CheckedIn
	}
	r.Charts = append(r.Charts, sc)
	for _, f := range app.EventFormats {
		if ff := formats[string(f)]; ff != nil {
			r.Formats = append(r.Formats, *ff)
		}
	}
	// Demographics, aggregated and suppressed.
	for _, d := range []struct {
		column string
		keys   []string
		prefix string
		dst    *[]Cell
	}{{"answer_age", app.AgeBands, "events.age.", &r.Age}, {"answer_gender", app.Genders, "events.gender.", &r.Gender}} {
		counts, err := st.Demographics(ctx, d.column)
		if err != nil {
			return nil, err
		}
		ordered := make([]store.Count, 0, len(d.keys))
		for _, k := range d.keys {
			ordered = append(ordered, store.Count{Key: k, N: find(counts, k)})
		}
		cells := Suppress(ordered, MinCell)
		for i := range cells {
			cells[i].Label = t(d.prefix + cells[i].Key)
		}
		*d.dst = cells
	}
	for _, c := range r.Charts {
		c.layout()
	}
	return r, nil
}

func find(counts []store.Count, key string) int {
	for _, c := range counts {
		if c.Key == key {
			return c.N
		}
	}
	return 0
}

// weekChart sums days into ISO calendar weeks.
func weekChart(days []store.Count, t Translate) *Chart {
	c := &Chart{ID: "chart-time", Title: t("results.report.chart_time"), KeyLabel: t("results.report.week"), ValueLabel: t("results.col.count")}
	weeks := map[string]int{}
	for _, d := range days {
		day, err := time.Parse("2006-01-02", d.Key)
		if err != nil {
			continue
		}
		monday := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
		weeks[monday.Format("2006-01-02")] += d.N
	}
	keys := make([]string, 0, len(weeks))
	for k := range weeks {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		monday, _ := time.Parse("2006-01-02", k)
		year, week := monday.ISOWeek()
		c.Bars = append(c.Bars, Bar{Label: t("results.report.week_label", "Week", week, "Year", year, "Date", monday.Format("02.01.")), Value: weeks[k]})
	}
	return c
}
