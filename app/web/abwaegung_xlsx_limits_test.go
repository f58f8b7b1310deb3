package web_test

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestAbwaegungXLSXUnpackedSizeBounded: an uploaded work sheet is bounded by
// what it unpacks to, not only by the bytes sent. A sheet of 3.5 million
// tiny rows packs into about 500 KB and unpacks to 157 MiB of XML; one of a
// million rows unpacks to 45 MiB, under that bound but 200 times the rows an
// upload may have. Both used to be read whole, every row kept before the
// row count was checked (the first grew the server's heap by 569 MB). Both
// are refused with a German error at the file field, nothing is applied,
// and the server's heap stays small.
func TestAbwaegungXLSXUnpackedSizeBounded(t *testing.T) {
	f := newXLSXFix(t)
	staff := f.a.SessionClient(t, f.staffASW)
	page := staff.Get("/abwaegung/amt/ASW/hochladen")
	for _, tc := range []struct {
		rows int
		want string
	}{
		{3_500_000, "Die Datei ist entpackt größer als 128 MB."},
		{1_000_000, "Die Tabelle hat mehr als 5000 Zeilen."},
	} {
		packed := packedSheet(t, tc.rows)
		if len(packed) > 1<<20 {
			t.Fatalf("the packed sheet has %d bytes; it must pass the upload limit to test what it unpacks to", len(packed))
		}
		baseline, _ := peakHeap(func() error { return nil })
		var res *testenv.Response
		peak, _ := peakHeap(func() error {
			res = uploadBytes(t, staff, page, packed, "valid", "")
			return nil
		})
		t.Logf("%d rows in %d bytes: heap %.0f MB before, %.0f MB at the peak of the upload", tc.rows, len(packed), baseline, peak)
		if grew := peak - baseline; grew > 64 {
			t.Errorf("%d rows: the server's heap grew by %.0f MB while refusing the sheet, want at most 64 MB", tc.rows, grew)
		}
		if res.Status != 422 || !strings.Contains(res.FieldError("file"), tc.want) {
			t.Errorf("%d rows: %d, error at the file field %q, want %q (page: %.300s)", tc.rows, res.Status, res.FieldError("file"), tc.want, res.Text())
		}
	}
	if got := f.assessment(t, f.list[0]); got.Reasoning != "" {
		t.Errorf("a refused upload changed an assessment: %+v", got)
	}
}

// packedSheet is a valid XLSX whose one sheet has the given number of tiny rows: a
// workbook made by excelize with its sheet part replaced.
func packedSheet(t *testing.T, rows int) []byte {
	t.Helper()
	x := excelize.NewFile()
	var small bytes.Buffer
	if err := x.Write(&small); err != nil {
		t.Fatal(err)
	}
	in, err := zip.NewReader(bytes.NewReader(small.Bytes()), int64(small.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	w := zip.NewWriter(&out)
	for _, part := range in.File {
		dst, err := w.Create(part.Name)
		if err != nil {
			t.Fatal(err)
		}
		if part.Name != "xl/worksheets/sheet1.xml" {
			src, err := part.Open()
			if err != nil {
				t.Fatal(err)
			}
			_, err = io.Copy(dst, src)
			src.Close()
			if err != nil {
				t.Fatal(err)
			}
			continue
		}
		_, _ = dst.Write([]byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`))
		row := []byte(`<row><c t="inlineStr"><is><t>x</t></is></c></row>`)
		chunk := bytes.Repeat(row, 10_000)
		for i := 0; i < rows/10_000; i++ {
			_, _ = dst.Write(chunk)
		}
		_, _ = dst.Write([]byte(`</sheetData></worksheet>`))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// A work sheet larger than the body limit of other forms (2 MB by default)
// but within the upload limit of 8 MB is read; a larger one is refused
// with the limit named at the file field, and nothing changes. Before, any
// file over 2 MB got the bare "Die gesendeten Daten sind zu groß." page
// instead of the form, while the form's hint and the handler's check spoke
// of 2 MB and 8 MB.
func TestAbwaegungUploadSizeErrorAtTheField(t *testing.T) {
	f := newXLSXFix(t)
	staff := f.a.SessionClient(t, f.staffASW)
	page := staff.Get("/abwaegung/amt/ASW/hochladen")
	if hint := page.Doc.Find("#f-file-hint").Text(); !strings.Contains(hint, "Höchstens 8 MB") {
		t.Errorf("the file field's hint %q does not name the limit of 8 MB", hint)
	}
	junk := bytes.Repeat([]byte("x"), 3<<20) // over the body limit of other forms, under the upload's
	res := uploadBytes(t, staff, page, junk, "valid", "")
	if res.Status != 422 || !strings.Contains(res.FieldError("file"), "keine lesbare Excel-Tabelle") {
		t.Errorf("3 MB: %d, error at the file field %q (page: %.300s)", res.Status, res.FieldError("file"), res.Text())
	}
	big := bytes.Repeat([]byte("x"), app.MaxUploadBytes+1)
	res = uploadBytes(t, staff, page, big, "valid", "")
	if res.Status != 422 || !strings.Contains(res.FieldError("file"), "höchstens 8 MB") {
		t.Errorf("8 MB + 1 byte: %d, error at the file field %q, want the limit named (page: %.300s)", res.Status, res.FieldError("file"), res.Text())
	}
	if got := f.assessment(t, f.list[0]); got.Reasoning != "" {
		t.Errorf("a refused upload changed an assessment: %+v", got)
	}
}
