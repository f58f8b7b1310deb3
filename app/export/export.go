// Package export writes the results of the participation for AG INSEK: the
// Abwägungstabelle, all contributions and the participation figures as CSV
// (German Excel), JSON and XLSX. Exports stream: rows come from the store in
// keyset batches and go straight to the writer, so memory stays flat
// however many contributions there are. Every export is written to the audit
// log. Exports never hold an address: authors appear by pseudonym.
package export

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// Kinds of export.
const (
	KindAssessment    = "assessment"
	KindContributions = "contributions"
	KindFigures       = "figures"
)

// Formats.
const (
	FormatCSV  = "csv"
	FormatJSON = "json"
	FormatXLSX = "xlsx"
)

// Kinds and Formats list the valid values in display order.
var (
	Kinds   = []string{KindAssessment, KindContributions, KindFigures}
	Formats = []string{FormatXLSX, FormatCSV, FormatJSON}
)

// AuditExport is the audit action of every export.
const AuditExport = "results.export"

// Translate returns the German label of a message id.
type Translate func(id string, args ...any) string

// Service runs exports.
type Service struct {
	Store *store.Store
	T     Translate
}

// Request is what to export.
type Request struct {
	Kind   string
	Format string
	Filter store.ExportFilter
}

// Progress is told how many rows are written of how many.
type Progress func(done, total int64)

// ContentType is the media type of a format.
func ContentType(format string) string {
	switch format {
	case FormatCSV:
		return "text/csv; charset=utf-8"
	case FormatJSON:
		return "application/json; charset=utf-8"
	default:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
}

// FileName is the download name of an export made at t.
func FileName(kind, format string, t time.Time) string {
	base := map[string]string{KindAssessment: "abwaegungstabelle", KindContributions: "beitraege", KindFigures: "beteiligung"}[kind]
	return fmt.Sprintf("%s-%s.%s", base, t.In(app.Berlin).Format("2006-01-02-1504"), format)
}

// Valid reports whether kind and format are known.
func Valid(kind, format string) bool {
	return slices.Contains(Kinds, kind) && slices.Contains(Formats, format)
}

// Run writes the export to w and records it in the audit log (actor nil:
// the command line). It returns the number of rows written.
func (s *Service) Run(ctx context.Context, actor *app.User, req Request, w io.Writer, progress Progress) (int64, error) {
	if !Valid(req.Kind, req.Format) {
		return 0, app.FieldInvalid("format", "form.choice_invalid")
	}
	if progress == nil {
		progress = func(int64, int64) {}
	}
	var n int64
	var err error
	if req.Kind == KindFigures {
		n, err = s.figures(ctx, req.Format, w)
	} else {
		n, err = s.contributions(ctx, req, w, progress)
	}
	if err != nil {
		return n, err
	}
	details := map[string]any{"kind": req.Kind, "format": req.Format, "rows": n}
	for k, v := range filterDetails(req.Filter) {
		details[k] = v
	}
	return n, s.Store.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: AuditExport, ObjectType: "export", ObjectID: req.Kind, Details: details})
}

// filterDetails describes the filter for the audit log (no personal data).
func filterDetails(f store.ExportFilter) map[string]any {
	out := map[string]any{}
	if f.ChapterID != 0 {
		out["chapter"] = f.ChapterID
	}
	for k, v := range map[string]string{"channel": f.Channel, "tag": f.Tag, "status": f.Status, "assessment": f.Assessment} {
		if v != "" {
			out[k] = v
		}
	}
	if len(f.Bezirke) > 0 {
		out["stadtbezirke"] = f.Bezirke
	}
	if f.StaffNames {
		out["names"] = true
	}
	if f.From != nil {
		out["from"] = f.From.Format(time.RFC3339)
	}
	if f.To != nil {
		out["to"] = f.To.Format(time.RFC3339)
	}
	return out
}

type section struct {
	id    int64 // chapter id; -1: without chapter
	title string
	amt   string
}

// contributions writes the Abwägungstabelle or the contributions, chapter by
// chapter in reading order, then those without a chapter.
func (s *Service) contributions(ctx context.Context, req Request, w io.Writer, progress Progress) (int64, error) {
	f := req.Filter
	if req.Kind == KindAssessment {
		f.Published = true
	}
	ref, err := s.Store.LoadRefData(ctx)
	if err != nil {
		return 0, err
	}
	l := newLabels(s.T, ref)
	total, err := s.Store.CountExport(ctx, f)
	if err != nil {
		return 0, err
	}
	chapters, err := s.Store.ExportChapters(ctx)
	if err != nil {
		return 0, err
	}
	var sections []section
	for _, ch := range chapters {
		if f.ChapterID == 0 || f.ChapterID == ch.ID {
			sections = append(sections, section{ch.ID, ch.Title, ch.Fachamt})
		}
	}
	if f.ChapterID <= 0 {
		sections = append(sections, section{-1, l.noChapter, ""})
	}
	var sw sheetWriter
	switch req.Format {
	case FormatCSV:
		sw, err = newCSVWriter(w, l.header())
	case FormatJSON:
		sw, err = newJSONWriter(w, "")
	default:
		title := s.T("results.sheet_overview")
		sw, err = newXLSXWriter(w, l.header(), title)
	}
	if err != nil {
		return 0, err
	}
	if d, ok := sw.(interface{ discard() }); ok {
		defer d.discard() // temporary files of a failed export
	}
	overview := [][]string{s.overviewHeader()}
	var done int64
	for _, sec := range sections {
		counts := map[string]int{}
		started := false
		sf := f
		sf.ChapterID = sec.id
		err := s.Store.EachExportRow(ctx, sf, func(r *store.ExportRow) error {
			if !started {
				started = true
				if err := sw.Section(sec.title); err != nil {
					return err
				}
			}
			rec := l.record(r)
			counts[r.AssessmentStatus]++
			counts["*"]++
			if err := sw.Row(rec, l.cells(rec)); err != nil {
				return err
			}
			done++
			if done%1000 == 0 {
				progress(done, total)
			}
			return nil
		})
		if err != nil {
			return done, err
		}
		overview = append(overview, overviewRow(sec, counts))
	}
	progress(done, total)
	return done, sw.Close(overview)
}

func (s *Service) overviewHeader() []string {
	out := []string{s.T("results.col.chapter"), s.T("results.col.fachamt"), s.T("results.col.count"), s.T("contribution.assessment_none")}
	for _, a := range app.AssessmentStatuses {
		out = append(out, s.T("contribution.assessment."+a))
	}
	return out
}

func overviewRow(sec section, counts map[string]int) []string {
	out := []string{sec.title, sec.amt, strconv.Itoa(counts["*"]), strconv.Itoa(counts[""])}
	for _, a := range app.AssessmentStatuses {
		out = append(out, strconv.Itoa(counts[a]))
	}
	return out
}
