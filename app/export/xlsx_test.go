package export_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/mitwirken/mitwirken/app/export"
)

// TestExportXLSXSheets: every chapter's rows are on its own sheet, as the
// overview counts them, and only the overview is the selected tab (several
// selected tabs open grouped in Excel, and typing then changes them all).
func TestExportXLSXSheets(t *testing.T) {
	f := setup(t)
	t.Setenv("TMPDIR", t.TempDir())
	data := f.run(t, export.Request{Kind: export.KindContributions, Format: export.FormatXLSX})
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	overview, err := x.GetRows("Übersicht")
	if err != nil {
		t.Fatal(err)
	}
	counted := 0
	for _, row := range overview[1:] {
		n, err := strconv.Atoi(row[2])
		if err != nil {
			t.Fatalf("overview row %q", row)
		}
		counted += n
	}
	onSheets := 0
	for _, sheet := range x.GetSheetList()[1:] {
		rows, err := x.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		tables, err := x.GetTables(sheet)
		last, _ := excelize.ColumnNumberToName(len(rows[0]))
		if err != nil || len(tables) != 1 || tables[0].Range != "A1:"+last+strconv.Itoa(len(rows)) {
			t.Errorf("sheet %q: table %+v over %d rows (%v)", sheet, tables, len(rows), err)
		}
		onSheets += len(rows) - 1
	}
	if onSheets < 120 || onSheets != counted {
		t.Fatalf("%d rows on the chapter sheets, the overview counts %d", onSheets, counted)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var selected []string
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/sheet") {
			continue
		}
		r, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r)
		if bytes.Contains(b, []byte(`tabSelected="true"`)) || bytes.Contains(b, []byte(`tabSelected="1"`)) {
			selected = append(selected, zf.Name)
		}
	}
	if len(selected) != 1 || selected[0] != "xl/worksheets/sheet1.xml" {
		t.Errorf("selected tabs %v, want the overview only", selected)
	}
	if left, _ := os.ReadDir(os.Getenv("TMPDIR")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestExportXLSXFailureLeavesNoFiles: an export that cannot be written
// removes its temporary files too.
func TestExportXLSXFailureLeavesNoFiles(t *testing.T) {
	f := setup(t)
	t.Setenv("TMPDIR", t.TempDir())
	_, err := f.svc.Run(context.Background(), f.admin, export.Request{Kind: export.KindContributions, Format: export.FormatXLSX}, failingWriter{}, nil)
	if !errors.Is(err, errDiskFull) {
		t.Fatalf("want the writer's error, got %v", err)
	}
	if left, _ := os.ReadDir(os.Getenv("TMPDIR")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

var errDiskFull = errors.New("disk full")

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }
