package events

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// Export formats.
const (
	ExportCSV  = "csv"
	ExportXLSX = "xlsx"
)

// Translate gives the export the labels of the viewer's language.
type Translate func(id string, args ...any) string

// Export writes the registration list of an event as CSV (semicolons, UTF-8
// with byte order mark, as German Excel expects) or XLSX, and records the
// export in the audit log. It contains personal data: admins only.
func (s *Service) Export(ctx context.Context, actor *app.User, eventID int64, format string, t Translate) (string, string, []byte, error) {
	ev, err := s.Store.EventByID(ctx, eventID)
	if err != nil {
		return "", "", nil, err
	}
	rows, err := s.exportRows(ctx, ev, t)
	if err != nil {
		return "", "", nil, err
	}
	var data []byte
	var ctype string
	switch format {
	case ExportCSV:
		data, ctype = exportCSV(rows), "text/csv; charset=utf-8"
	case ExportXLSX:
		if data, err = exportXLSX(rows, t("events.export_sheet")); err != nil {
			return "", "", nil, app.Internal(err)
		}
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	default:
		return "", "", nil, app.NotFound()
	}
	err = s.Store.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditEventExport, ObjectType: "event", ObjectID: itoa(eventID),
		Details: map[string]any{"format": format, "rows": len(rows) - 1}})
	if err != nil {
		return "", "", nil, err
	}
	return fmt.Sprintf("anmeldungen-veranstaltung-%d.%s", eventID, format), ctype, data, nil
}

func (s *Service) exportRows(ctx context.Context, ev *app.Event, t Translate) ([][]string, error) {
	regs, users, err := s.Store.ListRegistrations(ctx, ev.ID, store.RegistrationFilter{})
	if err != nil {
		return nil, err
	}
	pos, err := s.Store.WaitPositions(ctx, regs)
	if err != nil {
		return nil, err
	}
	invitations, err := s.Store.Invitations(ctx, ev.ID)
	if err != nil {
		return nil, err
	}
	orgs := map[int64]string{}
	for _, inv := range invitations {
		orgs[inv.ID] = inv.Organisation
	}
	out := [][]string{{
		t("events.col_number"), t("events.col_name"), t("events.col_kind"), t("events.col_organisation"), t("events.col_email"),
		t("events.col_status"), t("events.col_position"), t("events.col_registered"), t("events.col_needs"), t("events.col_needs_other"),
		t("events.col_checked_in"), t("events.col_substitute"), t("events.col_substitute_email"), t("events.col_applicant_id"),
		t("events.col_ortsteil"), t("events.col_age"), t("events.col_gender"), t("events.col_first_time"),
	}}
	for i, r := range regs {
		name, email := r.Name, r.Email
		if r.UserID != nil {
			if u := users[*r.UserID]; u != nil {
				name, email = u.DisplayName, u.EmailAddress()
			}
		}
		org := ""
		if r.InvitationID != nil {
			org = orgs[*r.InvitationID]
		}
		var needs []string
		for _, n := range r.Needs() {
			needs = append(needs, t(app.NeedLabelID(n)))
		}
		position, checked := "", ""
		if p := pos[r.ID]; p > 0 {
			position = strconv.Itoa(p)
		}
		if r.CheckedInAt != nil {
			checked = FormatTime(*r.CheckedInAt, "de")
		}
		out = append(out, []string{
			strconv.Itoa(i + 1), name, t("events.kind." + r.Kind), org, email, t("events.status." + r.Status), position,
			FormatTime(r.CreatedAt, "de"), strings.Join(needs, ", "), r.AccessOther, checked, r.SubstituteName, r.SubstituteEmail,
			r.Pseudonym, r.AnswerOrtsteil, answerLabel(t, "age", r.AnswerAge), answerLabel(t, "gender", r.AnswerGender),
			answerLabel(t, "first_time", r.AnswerFirstTime),
		})
	}
	return out, nil
}

func answerLabel(t Translate, kind, v string) string {
	if v == "" {
		return ""
	}
	return t("events." + kind + "." + v)
}

// exportCSV writes semicolon-separated UTF-8 with BOM. Cells that a
// spreadsheet would run as a formula (=, +, -, @, tab, CR) get a leading
// apostrophe: names typed by people must never execute.
func exportCSV(rows [][]string) []byte {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	w.UseCRLF = true
	for _, row := range rows {
		safe := make([]string, len(row))
		for i, c := range row {
			safe[i] = neutraliseFormula(c)
		}
		_ = w.Write(safe)
	}
	w.Flush()
	return buf.Bytes()
}

func neutraliseFormula(c string) string {
	if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
		return "'" + c
	}
	return c
}

// exportXLSX writes one sheet; every cell is a string cell (never a formula).
func exportXLSX(rows [][]string, sheet string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	for i, row := range rows {
		for j, c := range row {
			cell, err := excelize.CoordinatesToCellName(j+1, i+1)
			if err != nil {
				return nil, err
			}
			if err := f.SetCellStr(sheet, cell, c); err != nil {
				return nil, err
			}
		}
	}
	if len(rows) > 0 {
		bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
		if err != nil {
			return nil, err
		}
		last, _ := excelize.CoordinatesToCellName(len(rows[0]), 1)
		if err := f.SetCellStyle(sheet, "A1", last, bold); err != nil {
			return nil, err
		}
		if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return nil, err
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
