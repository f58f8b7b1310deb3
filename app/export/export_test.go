package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/export"
	"github.com/mitwirken/mitwirken/app/i18n"
	"github.com/mitwirken/mitwirken/app/seed"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
	"github.com/mitwirken/mitwirken/views"
)

// trickyText is what a spreadsheet must show unchanged: a semicolon, quotes,
// a line break, umlauts, and a leading "=" that must never run as formula.
const trickyText = "=SUMME(A1:A9); „Grünflächen“ in \"Lößnig\"\nzweite Zeile: Straßenbäume für Plaußig"

type fixture struct {
	s      *store.Store
	svc    *export.Service
	admin  *app.User
	emails []string
	tricky *app.Contribution
}

func setup(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	s := testenv.OpenStore(t, nil)
	if err := seed.Demo(ctx, s, seed.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := seed.Contributions(ctx, s, 120, nil); err != nil {
		t.Fatal(err)
	}
	admin := testenv.CreateUser(t, s, "ag.insek@stadt-leipzig.example", "AG INSEK", app.RoleAdmin)
	testenv.CreateUser(t, s, "privat.person@example.org", "Lindenauer Leserin", app.RoleCitizen)
	ch, err := s.ChapterBySlug(ctx, "wohnen")
	if err != nil {
		t.Fatal(err)
	}
	ortsteil := "43"
	c := &app.Contribution{Channel: app.ChannelWerkstatt, ChapterID: &ch.ID, Paragraph: "p-2", Body: trickyText,
		AuthorLabel: "Teilnehmende des Werkstattgesprächs Wohnen", EnteredBy: &admin.ID, OrtsteilCode: &ortsteil, Tags: []string{"ss3", "wohnen"}}
	if err := s.CreateContribution(ctx, c); err != nil {
		t.Fatal(err)
	}
	if c.Status != app.StatusPublished {
		if _, _, err := s.Moderate(ctx, admin, c.ID, app.ModerationInput{Action: app.ActionApprove}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Assess(ctx, admin, c.ID, app.AssessmentInput{Status: app.AssessPartly, Reasoning: "Teilweise: Quote wird geprüft;\nsiehe Absatz 3.", Fachamt: "Amt für Wohnungsbau und Stadterneuerung", Publish: true}); err != nil {
		t.Fatal(err)
	}
	var emails []string
	if err := s.Gorm().Table("users").Where("email IS NOT NULL").Pluck("email", &emails).Error; err != nil {
		t.Fatal(err)
	}
	if len(emails) < 5 {
		t.Fatalf("want the demo accounts with addresses, got %v", emails)
	}
	bundle, err := i18n.Load(views.FS)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{s: s, svc: &export.Service{Store: s, T: bundle.Localizer("de").T}, admin: admin, emails: emails, tricky: c}
}

func (f *fixture) run(t *testing.T, req export.Request) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := f.svc.Run(context.Background(), f.admin, req, &buf, nil); err != nil {
		t.Fatalf("export %+v: %v", req, err)
	}
	f.noEmail(t, req.Kind+"."+req.Format, buf.Bytes())
	return buf.Bytes()
}

// noEmail: no address of any account appears anywhere in the file (XLSX is
// a zip: look into the unpacked sheets).
func (f *fixture) noEmail(t *testing.T, what string, data []byte) {
	t.Helper()
	text := data
	if bytes.HasPrefix(data, []byte("PK")) {
		x, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		var all bytes.Buffer
		for _, sheet := range x.GetSheetList() {
			rows, err := x.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				all.WriteString(strings.Join(r, "\t"))
			}
		}
		text = all.Bytes()
	}
	for _, e := range f.emails {
		if bytes.Contains(bytes.ToLower(text), []byte(strings.ToLower(e))) {
			t.Errorf("%s contains the address %s", what, e)
		}
	}
	if bytes.Contains(text, []byte("@mitwirken.example")) {
		t.Errorf("%s contains an address", what)
	}
}

// readGermanCSV reads a file the way German Excel does: UTF-8 announced by
// a byte order mark, semicolon-separated, quoted cells with line breaks.
func readGermanCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		t.Fatal("CSV does not start with the UTF-8 byte order mark")
	}
	r := csv.NewReader(bytes.NewReader(data[3:]))
	r.Comma = ';'
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	return rows
}

func TestExportContributionsCSV(t *testing.T) {
	f := setup(t)
	data := f.run(t, export.Request{Kind: export.KindContributions, Format: export.FormatCSV})
	rows := readGermanCSV(t, data)
	header := rows[0]
	if header[0] != "Nummer" || header[4] != "Anregung" || header[13] != "Abwägung" || header[15] != "Zuständiges Fachamt" {
		t.Fatalf("header = %q", header)
	}
	total, err := f.s.CountExport(context.Background(), store.ExportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(rows)-1) != total {
		t.Errorf("%d rows, want %d", len(rows)-1, total)
	}
	var row []string
	for _, r := range rows[1:] {
		if r[0] == f.tricky.PublicNumber() {
			row = r
		}
		if len(r) != len(header) {
			t.Fatalf("row %s has %d cells, header %d", r[0], len(r), len(header))
		}
	}
	if row == nil {
		t.Fatalf("%s is missing", f.tricky.PublicNumber())
	}
	if row[4] != "'"+trickyText {
		t.Errorf("text cell = %q, want the text with a leading apostrophe", row[4])
	}
	if row[1] != "Fachkonzept Wohnen" || row[2] != "Absatz 2" || row[7] != "Werkstattgespräch" || row[9] != "43 Lößnig" || row[10] != "Süd" {
		t.Errorf("row = %q", row)
	}
	if row[13] != "teilweise berücksichtigt" && !strings.Contains(strings.ToLower(row[13]), "teilweise") {
		t.Errorf("assessment = %q", row[13])
	}
	if row[14] != "Teilweise: Quote wird geprüft;\nsiehe Absatz 3." {
		t.Errorf("reasoning = %q", row[14])
	}
	if !strings.Contains(row[11], "Bezahlbares Wohnen") {
		t.Errorf("tags = %q", row[11])
	}
	if !strings.Contains(row[3], "Wohnungen") {
		t.Errorf("quoted paragraph = %q", row[3])
	}
	if !strings.Contains(string(data), "\r\n") {
		t.Error("rows do not end with CRLF")
	}
}

func TestExportAssessmentXLSX(t *testing.T) {
	f := setup(t)
	data := f.run(t, export.Request{Kind: export.KindAssessment, Format: export.FormatXLSX})
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	sheets := x.GetSheetList()
	if len(sheets) < 3 || sheets[0] != "Übersicht" {
		t.Fatalf("sheets = %q", sheets)
	}
	found := false
	for _, sh := range sheets {
		found = found || sh == "Fachkonzept Wohnen"
	}
	if !found {
		t.Fatalf("no sheet for the chapter Wohnen: %q", sheets)
	}
	rows, err := x.GetRows("Fachkonzept Wohnen")
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "Nummer" || rows[0][13] != "Abwägung" {
		t.Errorf("header = %q", rows[0])
	}
	var row []string
	for _, r := range rows[1:] {
		if r[0] == f.tricky.PublicNumber() {
			row = r
		}
		if len(r) > 12 && r[12] != "veröffentlicht" && r[12] != "Veröffentlicht" {
			t.Errorf("the Abwägungstabelle holds %s with status %q", r[0], r[12])
		}
	}
	if row == nil {
		t.Fatalf("%s is not on the sheet", f.tricky.PublicNumber())
	}
	if row[4] != trickyText {
		t.Errorf("text cell = %q", row[4])
	}
	if formula, _ := x.GetCellFormula("Fachkonzept Wohnen", "E2"); formula != "" {
		t.Errorf("a text became a formula: %q", formula)
	}
	panes, err := x.GetPanes("Fachkonzept Wohnen")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header row is not frozen: %+v %v", panes, err)
	}
	tables, err := x.GetTables("Fachkonzept Wohnen")
	if err != nil || len(tables) != 1 || !strings.HasPrefix(tables[0].Range, "A1:AE") {
		t.Errorf("no filter table over the sheet: %+v %v", tables, err)
	}
	if w, _ := x.GetColWidth("Fachkonzept Wohnen", "E"); w < 40 {
		t.Errorf("text column width = %v", w)
	}
	style, _ := x.GetCellStyle("Fachkonzept Wohnen", "E2")
	if st, err := x.GetStyle(style); err != nil || st.Alignment == nil || !st.Alignment.WrapText {
		t.Errorf("text does not wrap: %+v %v", st, err)
	}
	over, err := x.GetRows("Übersicht")
	if err != nil || len(over) < 3 || over[0][0] != "Kapitel" {
		t.Fatalf("overview = %q %v", over, err)
	}
}

func TestExportJSONRoundTrip(t *testing.T) {
	f := setup(t)
	data := f.run(t, export.Request{Kind: export.KindContributions, Format: export.FormatJSON,
		Filter: store.ExportFilter{Channel: app.ChannelWerkstatt}})
	var recs []export.Record
	if err := json.Unmarshal(data, &recs); err != nil {
		t.Fatalf("JSON does not parse: %v", err)
	}
	var got *export.Record
	for i := range recs {
		if recs[i].Channel != app.ChannelWerkstatt {
			t.Errorf("%s has channel %s despite the filter", recs[i].Number, recs[i].Channel)
		}
		if recs[i].Number == f.tricky.PublicNumber() {
			got = &recs[i]
		}
	}
	if got == nil {
		t.Fatal("contribution missing")
	}
	if got.Text != trickyText || got.AssessmentStatus != app.AssessPartly || got.OrtsteilCode != "43" || got.Stadtbezirk != "Süd" ||
		len(got.Tags) != 2 || got.Author != "Teilnehmende des Werkstattgesprächs Wohnen" || got.CreatedAt.IsZero() {
		t.Errorf("record = %+v", got)
	}
	again, err := json.Marshal(recs)
	if err != nil {
		t.Fatal(err)
	}
	var back []export.Record
	if err := json.Unmarshal(again, &back); err != nil || len(back) != len(recs) || back[0].Number != recs[0].Number {
		t.Errorf("round trip lost records: %v", err)
	}
}

func TestExportFiltersAndAudit(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	in := export.FilterInput{Kind: "contributions", Format: "csv", Tag: "SS3", Stadtgebiet: "", From: "01.01.2000", To: time.Now().Format("2006-01-02")}
	req, err := in.Resolve(ctx, f.s)
	if err != nil {
		t.Fatal(err)
	}
	rows := readGermanCSV(t, f.run(t, req))
	if len(rows) < 2 {
		t.Fatal("tag filter found nothing")
	}
	for _, r := range rows[1:] {
		if !strings.Contains(r[11], "Bezahlbares Wohnen") {
			t.Errorf("%s lacks the tag: %q", r[0], r[11])
		}
	}
	bad := export.FilterInput{Kind: "contributions", Format: "pdf", Chapter: "gibt-es-nicht", From: "32.13.2026", Tag: "xyz"}
	_, err = bad.Resolve(ctx, f.s)
	e, ok := app.AsError(err)
	if !ok || e.Code != app.CodeInvalid {
		t.Fatalf("bad filter: %v", err)
	}
	for _, field := range []string{"format", "from"} {
		if _, ok := e.FieldMsg(field); !ok {
			t.Errorf("no message for %s: %v", field, err)
		}
	}
	entries, _, err := f.s.ListAudit(ctx, store.AuditFilter{Action: export.AuditExport})
	if err != nil || len(entries) != 1 || entries[0].ActorID == nil || *entries[0].ActorID != f.admin.ID {
		t.Fatalf("audit entries = %+v %v", entries, err)
	}
	if !strings.Contains(entries[0].Details, `"tag":"ss3"`) || strings.Contains(entries[0].Details, "@") {
		t.Errorf("audit details = %s", entries[0].Details)
	}
}

func TestExportFigures(t *testing.T) {
	f := setup(t)
	rows := readGermanCSV(t, f.run(t, export.Request{Kind: export.KindFigures, Format: export.FormatCSV}))
	if rows[0][0] != "Veranstaltung" || rows[0][3] != "Plätze" || rows[0][8] != "Nicht erschienen" {
		t.Fatalf("header = %q", rows[0])
	}
	var bezirke bool
	for _, r := range rows {
		if len(r) == 3 && r[0] == "4 Süd" {
			bezirke = true
			if r[1] == "0" {
				t.Errorf("Süd has no contributions: %q", r)
			}
		}
	}
	if !bezirke {
		t.Error("no Stadtbezirk table")
	}
	data := f.run(t, export.Request{Kind: export.KindFigures, Format: export.FormatXLSX})
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); len(got) != 3 || got[1] != "Stadtbezirke" {
		t.Errorf("sheets = %q", got)
	}
	var fig export.Figures
	if err := json.Unmarshal(f.run(t, export.Request{Kind: export.KindFigures, Format: export.FormatJSON}), &fig); err != nil || len(fig.Stadtbezirke) != 10 || len(fig.Events) == 0 {
		t.Errorf("figures = %+v %v", fig, err)
	}
}
