package surveys

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/export"
	"github.com/mitwirken/mitwirken/app/store"
)

// Column is one column of the response export, described in the codebook.
type Column struct {
	Code     string
	Question *app.SurveyQuestion
	// Option is the 1-based option or row the column stands for (0: the
	// question's single value, -1: the "other" text).
	Option int
	Label  string
}

// Columns lists the export's columns: response number, version and time,
// then per question (of every version, so older responses keep theirs)
// one column per option of a choice (1 chosen, 0 not), one per option of a
// ranking (its rank) or matrix row (its value), or one for the value.
func Columns(questions []app.SurveyQuestion) []Column {
	cols := []Column{{Code: "antwort"}, {Code: "version"}, {Code: "zeitpunkt"}}
	for i := range questions {
		q := &questions[i]
		code := "F" + strconv.FormatInt(q.ID, 10)
		switch q.Kind {
		case app.QSingle, app.QMulti, app.QRanking, app.QMatrix:
			for n, o := range q.Options {
				cols = append(cols, Column{Code: code + "_" + strconv.Itoa(n+1), Question: q, Option: n + 1, Label: o})
			}
			if q.Other {
				cols = append(cols, Column{Code: code + "_sonstiges", Question: q, Option: -1})
			}
		default:
			cols = append(cols, Column{Code: code, Question: q})
		}
	}
	return cols
}

// cell is the export value of column c for answer a (nil: not answered).
func (c Column) cell(a *store.SurveyAnswerRow) string {
	if a == nil {
		return ""
	}
	q := c.Question
	switch {
	case c.Option == -1:
		return a.Other
	case q.Kind == app.QSingle || q.Kind == app.QMulti:
		for _, v := range strings.Split(a.Value, ",") {
			if v == strconv.Itoa(c.Option) {
				return "1"
			}
		}
		return "0"
	case q.Kind == app.QRanking:
		for rank, v := range strings.Split(a.Value, ",") {
			if v == strconv.Itoa(c.Option) {
				return strconv.Itoa(rank + 1)
			}
		}
		return ""
	case q.Kind == app.QMatrix:
		for _, p := range strings.Split(a.Value, ",") {
			if row, val, _ := strings.Cut(p, "="); row == strconv.Itoa(c.Option) {
				return val
			}
		}
		return ""
	case a.Hidden:
		// A hidden free-text answer stays out of the export as out of the results.
		return ""
	default:
		return a.Value
	}
}

// rowSink receives the export row by row.
type rowSink func(cells []string) error

// eachRow streams the finished responses of sv as rows of cells in the
// order of cols, one response at a time.
func (s *Service) eachRow(ctx context.Context, sv *app.Survey, cols []Column, sink rowSink) error {
	var cur int64
	var version int
	var at string
	answers := map[int64]*store.SurveyAnswerRow{}
	flush := func() error {
		if cur == 0 {
			return nil
		}
		cells := make([]string, len(cols))
		cells[0], cells[1], cells[2] = strconv.FormatInt(cur, 10), strconv.Itoa(version), at
		for i := 3; i < len(cols); i++ {
			cells[i] = cols[i].cell(answers[cols[i].Question.ID])
		}
		clear(answers)
		return sink(cells)
	}
	err := s.Store.EachSurveyAnswer(ctx, sv.ID, func(a store.SurveyAnswerRow) error {
		if a.ResponseID != cur {
			if err := flush(); err != nil {
				return err
			}
			cur, version, at = a.ResponseID, a.Version, a.SubmittedAt.In(app.Berlin).Format("2006-01-02 15:04")
		}
		answers[a.QuestionID] = &a
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

// Codebook is the description of the columns: code, question, kind,
// versions and what the values mean.
func Codebook(cols []Column, t func(string, ...any) string) [][]string {
	rows := [][]string{{t("surveys.cb_code"), t("surveys.cb_question"), t("surveys.cb_kind"), t("surveys.cb_versions"), t("surveys.cb_meaning")}}
	for _, c := range cols {
		if c.Question == nil {
			rows = append(rows, []string{c.Code, "", "", "", t("surveys.cb_" + c.Code)})
			continue
		}
		q := c.Question
		versions := strconv.Itoa(q.SinceVersion) + "–"
		if q.UntilVersion != nil {
			versions += strconv.Itoa(*q.UntilVersion - 1)
		}
		meaning := ""
		switch {
		case c.Option == -1:
			meaning = t("surveys.cb_other")
		case q.Kind == app.QSingle || q.Kind == app.QMulti:
			meaning = t("surveys.cb_choice", "Label", c.Label)
		case q.Kind == app.QRanking:
			meaning = t("surveys.cb_rank", "Label", c.Label)
		case q.Kind == app.QMatrix:
			meaning = t("surveys.cb_matrix", "Label", c.Label, "Low", q.ScaleLow, "High", q.ScaleHigh)
		case q.Kind == app.QScale:
			meaning = t("surveys.cb_scale", "Low", q.ScaleLow, "High", q.ScaleHigh)
		default:
			kind := "surveys.cb_value_" + q.Kind
			meaning = t(kind)
		}
		label := "surveys.kind_" + q.Kind
		rows = append(rows, []string{c.Code, q.Text, t(label), versions, meaning})
	}
	return rows
}

// WriteCSV streams the responses as CSV for German Excel (UTF-8 with BOM,
// semicolons, CRLF); no cell can start a formula.
func (s *Service) WriteCSV(ctx context.Context, sv *app.Survey, out io.Writer) error {
	cols, err := s.columns(ctx, sv)
	if err != nil {
		return err
	}
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.Code
	}
	return writeCSV(out, header, func(sink rowSink) error { return s.eachRow(ctx, sv, cols, sink) })
}

// WriteCodebookCSV writes the codebook as CSV for German Excel.
func (s *Service) WriteCodebookCSV(ctx context.Context, sv *app.Survey, out io.Writer, t func(string, ...any) string) error {
	cols, err := s.columns(ctx, sv)
	if err != nil {
		return err
	}
	book := Codebook(cols, t)
	return writeCSV(out, book[0], func(sink rowSink) error {
		for _, r := range book[1:] {
			if err := sink(r); err != nil {
				return err
			}
		}
		return nil
	})
}

func writeCSV(out io.Writer, header []string, rows func(rowSink) error) error {
	buf := bufio.NewWriterSize(out, 64<<10)
	if _, err := buf.WriteString("\ufeff"); err != nil {
		return err
	}
	w := csv.NewWriter(buf)
	w.Comma, w.UseCRLF = ';', true
	write := func(cells []string) error {
		for i := range cells {
			cells[i] = export.Neutralise(cells[i])
		}
		return w.Write(cells)
	}
	if err := write(header); err != nil {
		return err
	}
	if err := rows(write); err != nil {
		return err
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return buf.Flush()
}

// WriteJSON streams {"codebook": [...], "responses": [{code: value}, ...]}.
func (s *Service) WriteJSON(ctx context.Context, sv *app.Survey, out io.Writer, t func(string, ...any) string) error {
	cols, err := s.columns(ctx, sv)
	if err != nil {
		return err
	}
	buf := bufio.NewWriterSize(out, 64<<10)
	enc := json.NewEncoder(buf)
	book := Codebook(cols, t)
	entries := make([]map[string]string, 0, len(book)-1)
	for _, r := range book[1:] {
		entries = append(entries, map[string]string{"code": r[0], "question": r[1], "kind": r[2], "versions": r[3], "meaning": r[4]})
	}
	if _, err := buf.WriteString(`{"codebook":`); err != nil {
		return err
	}
	if err := enc.Encode(entries); err != nil {
		return err
	}
	if _, err := buf.WriteString(`,"responses":[`); err != nil {
		return err
	}
	first := true
	err = s.eachRow(ctx, sv, cols, func(cells []string) error {
		obj := make(map[string]string, len(cells))
		for i, c := range cols {
			if cells[i] != "" {
				obj[c.Code] = cells[i]
			}
		}
		if !first {
			if err := buf.WriteByte(','); err != nil {
				return err
			}
		}
		first = false
		return enc.Encode(obj)
	})
	if err != nil {
		return err
	}
	if _, err := buf.WriteString("]}\n"); err != nil {
		return err
	}
	return buf.Flush()
}

// WriteXLSX writes the responses and the codebook as a workbook; excelize's
// stream writer moves the rows to a temporary file beyond a few MB, so the
// memory stays flat however many responses there are. Every cell is text:
// nothing typed by people becomes a formula.
func (s *Service) WriteXLSX(ctx context.Context, sv *app.Survey, out io.Writer, t func(string, ...any) string) error {
	cols, err := s.columns(ctx, sv)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := t("surveys.sheet_responses")
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	// Panes go before the first row (excelize streams in order).
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	row := 1
	put := func(cells []string) error {
		vals := make([]any, len(cells))
		for i, c := range cells {
			vals[i] = excelize.Cell{Value: c}
		}
		addr, err := excelize.CoordinatesToCellName(1, row)
		if err != nil {
			return err
		}
		row++
		return sw.SetRow(addr, vals)
	}
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.Code
	}
	if err := put(header); err != nil {
		return err
	}
	if err := s.eachRow(ctx, sv, cols, put); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	cbName := t("surveys.sheet_codebook")
	if _, err := f.NewSheet(cbName); err != nil {
		return err
	}
	cw, err := f.NewStreamWriter(cbName)
	if err != nil {
		return err
	}
	for i, r := range Codebook(cols, t) {
		vals := make([]any, len(r))
		for j, c := range r {
			vals[j] = c
		}
		addr, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := cw.SetRow(addr, vals); err != nil {
			return err
		}
	}
	if err := cw.Flush(); err != nil {
		return err
	}
	return f.Write(out)
}

func (s *Service) columns(ctx context.Context, sv *app.Survey) ([]Column, error) {
	questions, err := s.Store.AllSurveyQuestions(ctx, sv.ID)
	if err != nil {
		return nil, err
	}
	return Columns(questions), nil
}
