package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestExportCommand: seed with synthetic contributions, export as XLSX, CSV
// and JSON with progress on stderr; bad options get German messages.
func TestExportCommand(t *testing.T) {
	url := testenv.DatabaseURL(t)
	t.Setenv("MITWIRKEN_DATABASE_URL", url)
	if r := runCLI(t, "", "seed", "--demo", "--contributions", "250"); r.err != nil {
		t.Fatalf("seed: %v %s", r.err, r.stderr)
	}
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "abwaegung.xlsx")
	r := runCLI(t, "", "export", "assessment", "--format", "xlsx", "--out", xlsx)
	if r.err != nil || !strings.Contains(r.stderr, "Zeilen") || !strings.Contains(r.stdout, "Zeilen nach") {
		t.Fatalf("export xlsx: %v %q %q", r.err, r.stdout, r.stderr)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); len(sheets) < 10 || sheets[0] != "Übersicht" {
		t.Errorf("sheets = %q", sheets)
	}
	csvPath := filepath.Join(dir, "werkstatt.csv")
	if r := runCLI(t, "", "export", "contributions", "--format", "csv", "--out", csvPath, "--channel", "werkstatt", "--chapter", "wohnen"); r.err != nil {
		t.Fatalf("export csv: %v %s", r.err, r.stderr)
	}
	data, err := os.ReadFile(csvPath)
	if err != nil || !bytes.HasPrefix(data, []byte("\ufeffNummer;Kapitel")) {
		t.Fatalf("csv: %v %q", err, data[:min(len(data), 40)])
	}
	for _, line := range strings.Split(string(data), "\r\n")[1:] {
		if line != "" && strings.HasPrefix(line, "A-") && !strings.Contains(line, "Fachkonzept Wohnen") {
			t.Errorf("row outside the chapter filter: %q", line)
		}
	}
	jsonPath := filepath.Join(dir, "alle.json")
	if r := runCLI(t, "", "export", "contributions", "--format", "json", "--out", jsonPath); r.err != nil {
		t.Fatalf("export json: %v", r.err)
	}
	bad := runCLI(t, "", "export", "contributions", "--format", "pdf", "--from", "morgen", "--out", filepath.Join(dir, "x"))
	// The messages are in the error, which main prints to stderr.
	if bad.err == nil || !strings.Contains(bad.err.Error(), "--from: Bitte ein gültiges Datum") || !strings.Contains(bad.err.Error(), "--format:") {
		t.Fatalf("bad options: %v %q", bad.err, bad.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "x")); !os.IsNotExist(err) {
		t.Error("a file was written despite bad options")
	}
	if r := runCLI(t, "", "export"); r.err == nil {
		t.Error("export without a kind succeeded")
	}
	unknown := runCLI(t, "", "export", "foo", "--out", filepath.Join(dir, "y"))
	if unknown.err == nil || !strings.Contains(unknown.err.Error(), `unbekannte Exportart "foo"`) ||
		!strings.Contains(unknown.err.Error(), "assessment, contributions, figures") || strings.Contains(unknown.err.Error(), "--kind") {
		t.Errorf("unknown kind: %v %q", unknown.err, unknown.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "y")); !os.IsNotExist(err) {
		t.Error("a file was written for an unknown kind")
	}
}
