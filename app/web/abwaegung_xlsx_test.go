package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// xlsxFix is a Fachamt with six assigned contributions and its work sheet.
type xlsxFix struct {
	*abwFix
	list []*app.Contribution
}

func newXLSXFix(t *testing.T) *xlsxFix {
	f := &xlsxFix{abwFix: newAbwFix(t)}
	f.rule(t, app.RuleChapter, "wohnen", "ASW", app.RuleLead)
	for _, body := range []string{"Mehr Bänke.", "Mehr Bäume.", "Mehr Licht.", "Mehr Wasser.", "Mehr Ruhe.", "Mehr Radwege."} {
		f.list = append(f.list, f.tagged(t, f.cit, body))
	}
	if _, _, err := f.a.Platform.Abwaegung.ApplyRules(context.Background(), f.agA, true, 100); err != nil {
		t.Fatal(err)
	}
	return f
}

// download fetches the ASW work sheet as the staff member.
func (f *xlsxFix) download(t *testing.T, c *testenv.Client) *excelize.File {
	t.Helper()
	res := c.Get("/abwaegung/amt/ASW/tabelle.xlsx")
	if res.Status != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "abwaegung-ASW-") {
		t.Fatalf("download: %d %v", res.Status, res.Header)
	}
	x, err := excelize.OpenReader(strings.NewReader(res.Body))
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// fill writes the cells of the row of a contribution by column header.
func fill(t *testing.T, x *excelize.File, number string, cells map[string]string) {
	t.Helper()
	rows, _ := x.GetRows("Abwägung")
	cols := map[string]int{}
	for i, h := range rows[0] {
		cols[h] = i + 1
	}
	for r, row := range rows {
		if len(row) > 0 && row[0] == number {
			for header, v := range cells {
				cell, _ := excelize.CoordinatesToCellName(cols[header], r+1)
				if err := x.SetCellStr("Abwägung", cell, v); err != nil {
					t.Fatal(err)
				}
			}
			return
		}
	}
	t.Fatalf("no row %s", number)
}

// filledSheet fills the ASW sheet: two good rows, a result not in the list,
// a reasoning without result, one row left empty, and one row whose
// assessment is changed on the web after the download.
func (f *xlsxFix) filledSheet(t *testing.T, staff *testenv.Client) *excelize.File {
	t.Helper()
	x := f.download(t, staff)
	rows, _ := x.GetRows("Abwägung")
	if len(rows) != 7 || rows[0][0] != "Nummer" || rows[0][8] != "Ergebnis" || rows[0][1] != "Version" {
		t.Fatalf("sheet: %d rows, header %v", len(rows), rows[0])
	}
	dvs, err := x.GetDataValidations("Abwägung")
	if err != nil || len(dvs) != 1 || !strings.Contains(dvs[0].Formula1, "teilweise berücksichtigt") || dvs[0].Type != "list" {
		t.Fatalf("result drop-down: %+v %v", dvs, err)
	}
	l := f.list
	fill(t, x, l[0].PublicNumber(), map[string]string{"Ergebnis": "berücksichtigt", "Begründung": "Bänke kommen an die Promenade."})
	fill(t, x, l[1].PublicNumber(), map[string]string{"Ergebnis": "teilweise berücksichtigt", "Begründung": "Bäume wo möglich.",
		"Absatz der Änderung": "3", "Neue Fassung": "Zweiter Absatz über Freiräume, Bäume und Grün."})
	fill(t, x, l[2].PublicNumber(), map[string]string{"Ergebnis": "vielleicht", "Begründung": "Mal sehen."})
	fill(t, x, l[3].PublicNumber(), map[string]string{"Begründung": "Ohne Ergebnis."})
	fill(t, x, l[5].PublicNumber(), map[string]string{"Ergebnis": "zur Kenntnis genommen", "Begründung": "Alte Fassung aus der Tabelle."})
	return x
}

// changeOnWeb writes a newer text of the sixth contribution in the browser.
func (f *xlsxFix) changeOnWeb(t *testing.T, staff *testenv.Client) {
	t.Helper()
	n := f.list[5].PublicNumber()
	staff.Submit(staff.Get("/abwaegung/"+n), "form[action='/abwaegung/"+n+"/entwurf']", vals("result", app.AssessConsidered, "reasoning", "Neuere Fassung aus dem Browser."))
}

func upload(t *testing.T, c *testenv.Client, page *testenv.Response, x *excelize.File, mode string) *testenv.Response {
	t.Helper()
	var file bytes.Buffer
	if err := x.Write(&file); err != nil {
		t.Fatal(err)
	}
	return uploadBytes(t, c, page, file.Bytes(), mode, "")
}

// uploadBytes posts the upload form as multipart, as a browser does.
func uploadBytes(t *testing.T, c *testenv.Client, page *testenv.Response, file []byte, mode, bearer string) *testenv.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if bearer == "" {
		_ = w.WriteField("_csrf", page.Doc.Find("form[enctype] input[name=_csrf]").AttrOr("value", ""))
	}
	_ = w.WriteField("mode", mode)
	fw, _ := w.CreateFormFile("file", "abwaegung.xlsx")
	_, _ = fw.Write(file)
	_ = w.Close()
	path := "/abwaegung/amt/ASW/hochladen"
	if bearer != "" {
		path = "/api/v1/fachaemter/ASW/queue.xlsx"
	}
	req, _ := http.NewRequest(http.MethodPost, page.URL.Scheme+"://"+page.URL.Host+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return c.Do(req)
}

// reportRows are the rows of the upload report: "row|column|message".
func reportRows(res *testenv.Response) []string {
	var out []string
	res.Doc.Find("#row-errors tbody tr").Each(func(_ int, s *goquery.Selection) {
		var cells []string
		s.Children().Each(func(_ int, c *goquery.Selection) { cells = append(cells, strings.TrimSpace(c.Text())) })
		out = append(out, strings.Join(cells, "|"))
	})
	return out
}

// TestAbwaegungXLSXRoundTrip: a Fachamt downloads its open contributions,
// fills the sheet offline and uploads it. Every row is checked with a
// German message per row and column; "all rows" applies nothing while a row
// is bad, "valid rows" applies the good ones; a row made from an older
// version never overwrites the newer text; the upload is audited.
func TestAbwaegungXLSXRoundTrip(t *testing.T) {
	f := newXLSXFix(t)
	staff := f.a.SessionClient(t, f.staffASW)
	x := f.filledSheet(t, staff)
	f.changeOnWeb(t, staff)
	page := staff.Get("/abwaegung/amt/ASW/hochladen")
	res := upload(t, staff, page, x, "all")
	if res.Status != 200 || !strings.Contains(res.Text(), "Übernommen: 0") || !strings.Contains(res.Text(), "Es wurde nichts übernommen") {
		t.Fatalf("upload all: %d %s", res.Status, res.Text())
	}
	want := []string{
		"4|Ergebnis|Bitte wählen Sie ein Ergebnis aus der Liste.",
		"5|Ergebnis|Bitte wählen Sie ein Ergebnis.",
		"7|Version|Die Abwägung wurde inzwischen geändert",
	}
	got := reportRows(res)
	if len(got) != len(want) {
		t.Fatalf("report rows %q", got)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("report row %d: %q, want %q", i, got[i], want[i])
		}
	}
	if a := f.assessment(t, f.list[0]); a.TextNumber != 0 {
		t.Fatal("mode all applied a row despite errors")
	}
	res = upload(t, staff, staff.Get("/abwaegung/amt/ASW/hochladen"), x, "valid")
	if !strings.Contains(res.Text(), "Übernommen: 2") || !strings.Contains(res.Text(), "Übersprungen (leer oder unverändert): 1") || len(reportRows(res)) != 3 {
		t.Fatalf("upload valid rows: %s", res.Text())
	}
	a := f.assessment(t, f.list[1])
	if a.Result != app.AssessPartly || a.ChangeAnchor != "p-3" || a.ChangeText != "Zweiter Absatz über Freiräume, Bäume und Grün." || a.State != app.StateDrafted {
		t.Fatalf("applied row: %+v", a)
	}
	if a := f.assessment(t, f.list[5]); a.Reasoning != "Neuere Fassung aus dem Browser." {
		t.Fatalf("the newer text was overwritten: %q", a.Reasoning)
	}
	if a := f.assessment(t, f.list[2]); a.TextNumber != 0 {
		t.Fatal("a bad row was applied")
	}
	history := staff.Get("/abwaegung/" + f.list[0].PublicNumber())
	if !strings.Contains(history.Doc.Find("ol.versions").Text(), "per Excel-Tabelle") {
		t.Errorf("version history does not name the sheet: %s", history.Doc.Find("ol.versions").Text())
	}
	var uploads int64
	f.a.Store.Gorm().Model(&app.AuditEntry{}).Where("action = ? AND object_id = ?", app.AuditXLSXUpload, "ASW").Count(&uploads)
	if uploads != 2 {
		t.Errorf("%d uploads audited", uploads)
	}
	// Another Fachamt cannot upload for ASW.
	vta := f.a.SessionClient(t, f.staffVTA)
	if r := upload(t, vta, page, x, "valid"); r.Status != http.StatusForbidden {
		t.Errorf("VTA uploading for ASW: %d", r.Status)
	}
}

// TestAbwaegungXLSXFromLibreOffice: the same sheet, filled and then saved
// by LibreOffice Calc, uploaded through the API; the JSON report names the
// bad rows with column and German message.
func TestAbwaegungXLSXFromLibreOffice(t *testing.T) {
	f := newXLSXFix(t)
	staff := f.a.SessionClient(t, f.staffASW)
	x := f.filledSheet(t, staff)
	dir := t.TempDir()
	filled := filepath.Join(dir, "abwaegung-asw.xlsx")
	if err := x.SaveAs(filled); err != nil {
		t.Fatal(err)
	}
	converted := testenv.ConvertWithLibreOffice(t, filled, "xlsx")
	data, err := os.ReadFile(converted)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(data, mustRead(t, filled)) {
		t.Fatal("LibreOffice did not write the file anew")
	}
	lo, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if dvs, _ := lo.GetDataValidations(lo.GetSheetList()[0]); len(dvs) == 0 {
		t.Error("LibreOffice dropped the result drop-down")
	}
	token, err := f.a.Platform.Auth.CreateAPIToken(context.Background(), f.staffASW, f.staffASW, "dms")
	if err != nil {
		t.Fatal(err)
	}
	api := f.a.Client(t)
	res := uploadBytes(t, api, staff.Get("/abwaegung/amt/ASW/hochladen"), data, "valid", token)
	var rep struct {
		Applied int `json:"applied"`
		Skipped int `json:"skipped"`
		Errors  []struct {
			Row     int    `json:"row"`
			Column  string `json:"column"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal([]byte(res.Body), &rep); err != nil || res.Status != 200 {
		t.Fatalf("API upload: %d %s", res.Status, res.Body)
	}
	if rep.Applied != 3 || rep.Skipped != 1 || len(rep.Errors) != 2 || rep.Errors[0].Row != 4 || rep.Errors[0].Column != "Ergebnis" ||
		rep.Errors[1].Row != 5 || !strings.Contains(rep.Errors[1].Message, "Bitte wählen Sie ein Ergebnis") {
		t.Fatalf("API report: %+v", rep)
	}
	if a := f.assessment(t, f.list[1]); a.ChangeAnchor != "p-3" || a.Reasoning != "Bäume wo möglich." {
		t.Fatalf("row from LibreOffice: %+v", a)
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
