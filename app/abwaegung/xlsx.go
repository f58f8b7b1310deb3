package abwaegung

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/export"
	"github.com/mitwirken/mitwirken/app/store"
)

// The columns of the Excel round trip, by message id of their header. The
// upload finds them by header, so a spreadsheet program may move them.
var sheetColumns = []struct {
	id    string
	width float64
}{
	{"abwaegung.col.number", 10}, {"abwaegung.col.version", 9}, {"abwaegung.col.chapter", 24}, {"abwaegung.col.paragraph", 10},
	{"abwaegung.col.text", 60}, {"abwaegung.col.state", 16}, {"abwaegung.col.deadline", 12}, {"abwaegung.col.cosigners", 16},
	{"abwaegung.col.result", 24}, {"abwaegung.col.reasoning", 60}, {"abwaegung.col.change_anchor", 12}, {"abwaegung.col.change_text", 50},
}

// Upload modes.
const (
	ModeAll   = "all"   // apply only when every row is valid
	ModeValid = "valid" // apply the valid rows
)

// SheetName is the name of the work sheet.
const SheetName = "Abwägung"

// WriteQueueXLSX writes a Fachamt's open work (it leads; open, drafted or
// co-signed) as a work sheet: one row per contribution with the current
// text filled in, the result as a drop-down list (data validation) and the
// version the row was made from. Every cell is a string cell.
func (s *Service) WriteQueueXLSX(ctx context.Context, fa *app.Fachamt, w io.Writer, t export.Translate) (int, error) {
	rows, err := s.openWork(ctx, fa)
	if err != nil {
		return 0, err
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return 0, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return 0, err
	}
	for i, c := range sheetColumns {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(SheetName, cell, t(c.id)); err != nil {
			return 0, err
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(SheetName, col, col, c.width); err != nil {
			return 0, err
		}
	}
	if err := f.SetRowStyle(SheetName, 1, 1, bold); err != nil {
		return 0, err
	}
	labels := resultLabels(t)
	for i, r := range rows {
		a, err := s.Store.AssessmentByContribution(ctx, r.ContributionID)
		if err != nil && app.ErrorCode(err) != app.CodeNotFound {
			return 0, err
		}
		if a == nil {
			a = &app.Assessment{Version: r.Version}
		}
		cos := make([]string, len(r.Cosigners))
		for j, c := range r.Cosigners {
			cos[j] = c.Short
		}
		para, change := "", ""
		if r.Paragraph != "" {
			para = anchorNumber(r.Paragraph)
		}
		if a.ChangeAnchor != "" {
			change = anchorNumber(a.ChangeAnchor)
		}
		deadline := ""
		if d, ok := app.DeadlineDay(r.Deadline); ok {
			deadline = d.Format("02.01.2006")
		}
		values := []string{r.PublicNumber(), strconv.Itoa(r.Version), r.ChapterTitle, para, r.Body, t("abwaegung.state." + r.State),
			deadline, strings.Join(cos, ", "), labels[a.Result], a.Reasoning, change, a.ChangeText}
		for j, v := range values {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+2)
			if err := f.SetCellStr(SheetName, cell, v); err != nil {
				return 0, err
			}
		}
	}
	if len(rows) > 0 {
		dv := excelize.NewDataValidation(true)
		col, _ := excelize.ColumnNumberToName(colIndex("abwaegung.col.result") + 1)
		dv.SetSqref(col + "2:" + col + strconv.Itoa(len(rows)+1))
		list := make([]string, len(app.AssessmentStatuses))
		for i, st := range app.AssessmentStatuses {
			list[i] = labels[st]
		}
		if err := dv.SetDropList(list); err != nil {
			return 0, err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, t("abwaegung.col.result"), t("abwaegung.xlsx_pick_result"))
		if err := f.AddDataValidation(SheetName, dv); err != nil {
			return 0, err
		}
	}
	if err := f.SetPanes(SheetName, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return 0, err
	}
	return len(rows), f.Write(w)
}

func colIndex(id string) int {
	for i, c := range sheetColumns {
		if c.id == id {
			return i
		}
	}
	return -1
}

func resultLabels(t export.Translate) map[string]string {
	out := map[string]string{"": ""}
	for _, st := range app.AssessmentStatuses {
		out[st] = t("contribution.assessment." + st)
	}
	return out
}

func anchorNumber(anchor string) string { return strings.TrimPrefix(anchor, "p-") }

// openWork lists what the Fachamt leads and still works on.
func (s *Service) openWork(ctx context.Context, fa *app.Fachamt) ([]*store.QueueRow, error) {
	var out []*store.QueueRow
	for page := 1; ; page++ {
		rows, _, _, err := s.Store.AssessmentQueue(ctx, store.AssessmentFilter{FachamtID: fa.ID, Role: app.RuleLead, PerPage: 200, Page: page})
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			if r.State == app.StateOpen || r.State == app.StateDrafted || r.State == app.StateCosigned {
				out = append(out, r)
			}
		}
		if len(rows) < 200 || len(out) >= app.MaxUploadRows {
			return out, nil
		}
	}
}

// RowError is one problem of an uploaded row: the row number in the sheet,
// the column's header and the German message.
type RowError struct {
	Row     int     `json:"row"`
	Column  string  `json:"column"`
	Msg     app.Msg `json:"-"`
	Message string  `json:"message"`
}

// UploadReport tells what an upload did.
type UploadReport struct {
	Mode    string     `json:"mode"`
	Rows    int        `json:"rows"`
	Applied int        `json:"applied"`
	Skipped int        `json:"skipped"`
	Errors  []RowError `json:"errors"`
}

// uploadRow is one filled row of an uploaded sheet.
type uploadRow struct {
	line   int
	number int64
	in     app.DraftInput
}

var (
	errDryRun = errors.New("dry run")
	// errUnchanged: the row says what the assessment says (a sheet
	// downloaded with the current texts and left as it was).
	errUnchanged = errors.New("unchanged")
)

// ReadQueueXLSX checks every row of an uploaded work sheet and applies
// either all rows (ModeAll, only when none has an error) or the valid ones
// (ModeValid). A row whose version is older than the assessment's is
// refused: nothing newer is overwritten. Rows without result and reasoning
// are skipped. The upload is audited.
func (s *Service) ReadQueueXLSX(ctx context.Context, acc *Access, fa *app.Fachamt, r io.Reader, mode string, t export.Translate) (*UploadReport, error) {
	if mode != ModeAll && mode != ModeValid {
		return nil, app.FieldInvalid("mode", "form.choice_invalid")
	}
	if !acc.Member(&fa.ID) || !acc.User.Holds(app.RoleFachamt) {
		return nil, app.Forbidden()
	}
	rep := &UploadReport{Mode: mode, Errors: []RowError{}}
	rows, err := s.parseSheet(r, rep, t)
	if err != nil {
		return nil, err
	}
	rep.Rows = len(rows) + rep.Skipped
	// Dry run: every row through the real checks in a savepoint each, then
	// all of it rolled back.
	bad, unchanged := map[int]bool{}, map[int]bool{}
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		for _, row := range rows {
			err := s.applyRow(ctx, tx, acc, fa, row)
			if errors.Is(err, errUnchanged) {
				unchanged[row.line] = true
				continue
			}
			if err != nil {
				if rowErrs := s.rowErrors(row.line, err, t); rowErrs != nil {
					rep.Errors, bad[row.line] = append(rep.Errors, rowErrs...), true
					continue
				}
				return err
			}
		}
		return errDryRun
	})
	if !errors.Is(err, errDryRun) {
		return nil, err
	}
	rep.Skipped += len(unchanged)
	var todo []uploadRow
	for _, row := range rows {
		if !unchanged[row.line] {
			todo = append(todo, row)
		}
	}
	rows = todo
	switch {
	case mode == ModeAll && len(rep.Errors) == 0:
		err = s.Store.Tx(ctx, func(tx *store.Store) error {
			for _, row := range rows {
				if err := s.applyRow(ctx, tx, acc, fa, row); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			// Someone changed a row between the check and now: nothing applied.
			rep.Errors = append(rep.Errors, s.rowErrors(0, err, t)...)
		} else {
			rep.Applied = len(rows)
		}
	case mode == ModeValid:
		for _, row := range rows {
			if bad[row.line] {
				continue
			}
			if err := s.Store.Tx(ctx, func(tx *store.Store) error { return s.applyRow(ctx, tx, acc, fa, row) }); err != nil {
				rep.Errors = append(rep.Errors, s.rowErrors(row.line, err, t)...)
				continue
			}
			rep.Applied++
		}
	}
	return rep, s.Store.AppendAudit(ctx, app.AuditEvent{Actor: acc.User, Action: app.AuditXLSXUpload, ObjectType: "fachamt", ObjectID: fa.Short,
		Details: map[string]any{"mode": mode, "rows": rep.Rows, "applied": rep.Applied, "errors": len(rep.Errors), "skipped": rep.Skipped}})
}

func (s *Service) applyRow(ctx context.Context, tx *store.Store, acc *Access, fa *app.Fachamt, row uploadRow) error {
	return tx.Tx(ctx, func(tx *store.Store) error {
		c, err := tx.ContributionByNumber(ctx, row.number)
		if err != nil {
			return err
		}
		l, err := s.lock(ctx, tx, acc, c.ID)
		if err != nil {
			return err
		}
		if l.c.ID != c.ID || l.a.LeadFachamtID == nil || *l.a.LeadFachamtID != fa.ID {
			return app.NotFound()
		}
		if row.in.Version < l.a.Version {
			return app.Errorf(app.CodeConflict, "abwaegung.xlsx_newer", "Version", l.a.Version)
		}
		in := row.in
		in.Clean()
		if err := in.Validate(); err != nil {
			return err
		}
		if in.SameText(l.a) {
			return errUnchanged
		}
		return s.saveDraft(ctx, tx, acc, l, in, SourceXLSX)
	})
}

// rowErrors turns a refusal of a row into errors per column; nil for
// errors that are not about the row (the upload fails then).
func (s *Service) rowErrors(line int, err error, t export.Translate) []RowError {
	e, ok := app.AsError(err)
	if !ok || e.Code == app.CodeInternal || e.Code == app.CodeUnavailable {
		return nil
	}
	columns := map[string]string{"result": "abwaegung.col.result", "reasoning": "abwaegung.col.reasoning",
		"change_anchor": "abwaegung.col.change_anchor", "change_text": "abwaegung.col.change_text", "anchor": "abwaegung.col.change_anchor"}
	if len(e.Fields) > 0 {
		out := make([]RowError, 0, len(e.Fields))
		for _, f := range e.Fields {
			out = append(out, RowError{Row: line, Column: t(columns[f.Field]), Msg: f.Msg})
		}
		return out
	}
	col := "abwaegung.col.state"
	msg := e.Msg
	switch {
	case e.Code == app.CodeNotFound || e.Code == app.CodeForbidden:
		col, msg = "abwaegung.col.number", app.M("abwaegung.xlsx_not_yours")
	case e.Msg.ID == "abwaegung.xlsx_newer" || e.Msg.ID == "abwaegung.conflict":
		col = "abwaegung.col.version"
	}
	return []RowError{{Row: line, Column: t(col), Msg: msg}}
}

// parseSheet reads the filled rows of the first sheet, finding the columns
// by their headers; rows with neither result nor reasoning are skipped.
func (s *Service) parseSheet(r io.Reader, rep *UploadReport, t export.Translate) ([]uploadRow, error) {
	f, err := openUpload(r)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	all, err := headAndRows(f)
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range all[0] {
		col[strings.TrimSpace(h)] = i
	}
	labelOf := func(id string) string { return t(id) }
	var missing []string
	for _, id := range []string{"abwaegung.col.number", "abwaegung.col.version", "abwaegung.col.result", "abwaegung.col.reasoning",
		"abwaegung.col.change_anchor", "abwaegung.col.change_text"} {
		if _, ok := col[labelOf(id)]; !ok {
			missing = append(missing, labelOf(id))
		}
	}
	if len(missing) > 0 {
		return nil, app.FieldInvalid("file", "abwaegung.xlsx_columns_missing", "Columns", strings.Join(missing, ", "))
	}
	cell := func(row []string, id string) string {
		i := col[labelOf(id)]
		if i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	codes := map[string]string{}
	for code, label := range resultLabels(t) {
		if code != "" {
			codes[strings.ToLower(label)], codes[code] = code, code
		}
	}
	var out []uploadRow
	for i, row := range all[1:] {
		line := i + 2
		number, result, reasoning := cell(row, "abwaegung.col.number"), cell(row, "abwaegung.col.result"), cell(row, "abwaegung.col.reasoning")
		changeAnchor, changeText := cell(row, "abwaegung.col.change_anchor"), cell(row, "abwaegung.col.change_text")
		if number == "" && result == "" && reasoning == "" {
			continue
		}
		if result == "" && reasoning == "" && changeText == "" {
			rep.Skipped++
			continue
		}
		var errs []RowError
		n, ok := app.ParseContributionNumber(number)
		if !ok {
			errs = append(errs, RowError{Row: line, Column: labelOf("abwaegung.col.number"), Msg: app.M("abwaegung.xlsx_number_invalid")})
		}
		version, err := strconv.Atoi(strings.TrimSuffix(cell(row, "abwaegung.col.version"), ".0"))
		if err != nil || version < 1 {
			errs = append(errs, RowError{Row: line, Column: labelOf("abwaegung.col.version"), Msg: app.M("abwaegung.xlsx_version_invalid")})
		}
		code, known := codes[strings.ToLower(result)]
		if result != "" && !known {
			errs = append(errs, RowError{Row: line, Column: labelOf("abwaegung.col.result"), Msg: app.M("abwaegung.xlsx_result_invalid")})
			code = "?"
		}
		if len(errs) > 0 {
			rep.Errors = append(rep.Errors, errs...)
			continue
		}
		in := app.DraftInput{Version: version, Result: code, Reasoning: reasoning, ChangeText: changeText}
		if changeAnchor != "" {
			in.ChangeAnchor = "p-" + strings.TrimPrefix(strings.TrimSuffix(changeAnchor, ".0"), "p-")
		}
		out = append(out, uploadRow{line: line, number: n, in: in})
	}
	return out, nil
}

// Localize fills in the messages in the reader's language.
func (rep *UploadReport) Localize(msg func(app.Msg) string) {
	for i := range rep.Errors {
		rep.Errors[i].Message = msg(rep.Errors[i].Msg)
	}
}

// openUpload opens an uploaded work sheet. An XLSX is a zip archive: a few
// hundred kilobytes can unpack to gigabytes, so what it unpacks to is
// checked (from the archive's directory, which archive/zip holds every part
// to) before excelize reads a part.
func openUpload(r io.Reader) (*excelize.File, error) {
	data, err := io.ReadAll(io.LimitReader(r, app.MaxUploadBytes+1))
	if err != nil || len(data) > app.MaxUploadBytes {
		return nil, app.FieldInvalid("file", "abwaegung.xlsx_unreadable")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, app.FieldInvalid("file", "abwaegung.xlsx_unreadable")
	}
	var unpacked uint64
	for _, part := range zr.File {
		unpacked += part.UncompressedSize64
	}
	if unpacked > app.MaxUploadUnpacked {
		return nil, app.FieldInvalid("file", "abwaegung.xlsx_unpacked_too_large", "Max", app.MaxUploadUnpacked>>20)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: app.MaxUploadUnpacked})
	if err != nil {
		return nil, app.FieldInvalid("file", "abwaegung.xlsx_unreadable")
	}
	return f, nil
}

// headAndRows reads the first sheet row by row, as excelize's GetRows
// does (empty rows between filled ones kept, trailing ones dropped), but
// stops once there are more rows than an upload may have instead of
// holding them all first.
func headAndRows(f *excelize.File) ([][]string, error) {
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, app.FieldInvalid("file", "abwaegung.xlsx_unreadable")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, app.FieldInvalid("file", "abwaegung.xlsx_unreadable")
	}
	defer rows.Close()
	var all [][]string
	filled := 0 // rows up to the last one with a cell
	for n := 1; rows.Next(); n++ {
		row, err := rows.Columns()
		if err != nil {
			return nil, app.FieldInvalid("file", "abwaegung.xlsx_unreadable")
		}
		if len(row) == 0 {
			continue
		}
		if n-1 > app.MaxUploadRows { // the header plus MaxUploadRows rows
			return nil, app.FieldInvalid("file", "abwaegung.xlsx_too_many", "Max", app.MaxUploadRows)
		}
		for len(all) < n-1 {
			all = append(all, nil)
		}
		all = append(all, row)
		filled = n
	}
	if rows.Error() != nil || filled == 0 {
		return nil, app.FieldInvalid("file", "abwaegung.xlsx_unreadable")
	}
	return all[:filled], nil
}
