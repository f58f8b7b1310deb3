package export

import (
	"context"
	"encoding/json"
	"io"
	"strconv"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// Figures are the participation figures: per event and per Stadtbezirk and
// Stadtgebiet. Counts only, no people.
type Figures struct {
	Events       []EventRow `json:"events"`
	Stadtbezirke []AreaRow  `json:"stadtbezirke"`
	Stadtgebiete []AreaRow  `json:"stadtgebiete"`
}

// EventRow is one event's registrations by status.
type EventRow struct {
	Title         string    `json:"title"`
	Format        string    `json:"format"`
	StartsAt      time.Time `json:"starts_at"`
	Status        string    `json:"status"`
	Capacity      int       `json:"capacity"`
	Registrations int       `json:"registrations"`
	Confirmed     int       `json:"confirmed"`
	Waitlisted    int       `json:"waitlisted"`
	Attended      int       `json:"attended"`
	NoShows       int       `json:"no_shows"`
}

// AreaRow is one Stadtbezirk or Stadtgebiet.
type AreaRow struct {
	Code          string `json:"code,omitempty"`
	Name          string `json:"name"`
	Contributions int    `json:"contributions"`
	Participants  int    `json:"participants"`
}

// LoadFigures gathers the participation figures.
func LoadFigures(ctx context.Context, st *store.Store) (*Figures, error) {
	evs, err := st.AllEventFigures(ctx)
	if err != nil {
		return nil, err
	}
	out := &Figures{Events: []EventRow{}, Stadtbezirke: []AreaRow{}, Stadtgebiete: []AreaRow{}}
	for _, ef := range evs {
		c := ef.Counts
		e := ef.Event
		out.Events = append(out.Events, EventRow{Title: e.Title, Format: string(e.Format), StartsAt: e.StartsAt.UTC(),
			Status: e.Status, Capacity: e.Capacity, Registrations: c.Active() + c.Cancelled + c.Declined + c.Expired,
			Confirmed: c.Confirmed, Waitlisted: c.Waitlisted, Attended: c.CheckedIn, NoShows: c.NoShows()})
	}
	ref, err := st.LoadRefData(ctx)
	if err != nil {
		return nil, err
	}
	bez, err := st.FiguresByBezirk(ctx)
	if err != nil {
		return nil, err
	}
	for _, b := range ref.Stadtbezirke {
		row := AreaRow{Code: b.Code, Name: b.Name}
		if f := bez[b.Code]; f != nil {
			row.Contributions, row.Participants = f.Contributions, f.Participants
		}
		out.Stadtbezirke = append(out.Stadtbezirke, row)
	}
	gebiete, err := st.Stadtgebiete(ctx)
	if err != nil {
		return nil, err
	}
	for _, g := range gebiete {
		row := AreaRow{Name: g.Name}
		for _, code := range g.Bezirke {
			if f := bez[code]; f != nil {
				row.Contributions += f.Contributions
				row.Participants += f.Participants
			}
		}
		out.Stadtgebiete = append(out.Stadtgebiete, row)
	}
	return out, nil
}

// tables are the figures as German tables: title, header, rows.
func (s *Service) figureTables(f *Figures) [][][]string {
	ev := [][]string{{s.T("results.fig.event"), s.T("results.fig.format"), s.T("results.col.date"), s.T("results.fig.capacity"),
		s.T("results.fig.registrations"), s.T("results.fig.confirmed"), s.T("results.fig.waitlisted"), s.T("results.fig.attended"), s.T("results.fig.no_shows")}}
	for _, e := range f.Events {
		date := e.StartsAt.In(app.Berlin).Format("02.01.2006 15:04")
		ev = append(ev, []string{e.Title, s.T("events.format." + e.Format), date, itoa(e.Capacity), itoa(e.Registrations),
			itoa(e.Confirmed), itoa(e.Waitlisted), itoa(e.Attended), itoa(e.NoShows)})
	}
	area := func(rows []AreaRow, col string) [][]string {
		out := [][]string{{s.T(col), s.T("results.fig.contributions"), s.T("results.fig.participants")}}
		for _, r := range rows {
			name := r.Name
			if r.Code != "" {
				name = r.Code + " " + r.Name
			}
			out = append(out, []string{name, itoa(r.Contributions), itoa(r.Participants)})
		}
		return out
	}
	return [][][]string{ev, area(f.Stadtbezirke, "results.fig.stadtbezirk"), area(f.Stadtgebiete, "results.fig.stadtgebiet")}
}

func itoa(n int) string { return strconv.Itoa(n) }

// figures writes the participation figures: JSON as one object, CSV as
// three tables separated by an empty line, XLSX as three sheets.
func (s *Service) figures(ctx context.Context, format string, w io.Writer) (int64, error) {
	f, err := LoadFigures(ctx, s.Store)
	if err != nil {
		return 0, err
	}
	n := int64(len(f.Events) + len(f.Stadtbezirke) + len(f.Stadtgebiete))
	if format == FormatJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return n, enc.Encode(f)
	}
	tables := s.figureTables(f)
	titles := []string{s.T("results.fig.sheet_events"), s.T("results.fig.sheet_bezirke"), s.T("results.fig.sheet_gebiete")}
	if format == FormatCSV {
		c, err := newCSVWriter(w, tables[0][0])
		if err != nil {
			return 0, err
		}
		for i, t := range tables {
			if i > 0 {
				if err := c.write([]string{}); err != nil {
					return 0, err
				}
				if err := c.write(t[0]); err != nil {
					return 0, err
				}
			}
			for _, row := range t[1:] {
				if err := c.write(row); err != nil {
					return 0, err
				}
			}
		}
		return n, c.Close(nil)
	}
	b, err := newBook(titles[0])
	if err != nil {
		return 0, err
	}
	for i, t := range tables {
		name := b.first
		if i > 0 {
			name = b.sheetName(titles[i])
		}
		widths := make([]float64, len(t[0]))
		for j := range widths {
			widths[j] = 14
		}
		widths[0] = 36
		if err := b.addTable(name, sheetLayout{header: t[0], widths: widths}, t[1:], func(col int) bool { return col > 0 }); err != nil {
			return 0, err
		}
	}
	return n, b.write(w)
}
