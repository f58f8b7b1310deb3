package main

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app/i18n"
	"github.com/mitwirken/mitwirken/app/selection"
	"github.com/mitwirken/mitwirken/views"
)

// writeFiles writes name → content into a new directory.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// foundationFiles are a categories and a respondents file in the shape of
// the Sortition Foundation's current library (sortition-algorithms): the
// header feature,value,min,max,min_flex,max_flex, and a NationBuilder
// export with nationbuilder_id, contact columns and one column per feature.
func foundationFiles(sep string) map[string]string {
	return quotaFiles(sep, "feature,value")
}

// quotaFiles are foundationFiles with another categories header: the
// tests of other findings use the Stratification App's category,name,
// which the command read before it knew feature,value, so that each test
// fails on the old command for its own finding only.
func quotaFiles(sep, header string) map[string]string {
	cats := []string{
		header + ",min,max,min_flex,max_flex",
		"Geschlecht,weiblich,2,3,0,5",
		"Geschlecht,männlich,2,3,0,5",
		"Geschlecht,divers,0,1,0,1",
		"Altersgruppe,16-29,1,2,0,5",
		"Altersgruppe,30-59,1,3,0,5",
		"Altersgruppe,60+,1,2,0,5",
	}
	resp := []string{"nationbuilder_id,first_name,last_name,email,primary_address1,primary_zip,Geschlecht,Altersgruppe"}
	genders := []string{"weiblich", "männlich", "weiblich", "männlich", "divers"}
	ages := []string{"16-29", "30-59", "60+", "30-59"}
	for i := 0; i < 24; i++ {
		resp = append(resp, fmt.Sprintf("nb%03d,Vorname%d,Nachname%d,p%d@example.org,Weg %d,041%02d,%s,%s",
			i, i, i, i, i, i, genders[i%len(genders)], ages[i%len(ages)]))
	}
	join := func(lines []string) string {
		if sep == "," {
			return strings.Join(lines, "\n") + "\n"
		}
		// German Excel: byte order mark, semicolons, CRLF.
		return "\ufeff" + strings.ReplaceAll(strings.Join(lines, "\r\n"), ",", sep) + "\r\n"
	}
	return map[string]string{"features.csv": join(cats), "candidates.csv": join(resp)}
}

func selectionRun(t *testing.T, dir string, args ...string) cliRun {
	t.Helper()
	base := []string{"selection", "run", "--out", filepath.Join(dir, "out")}
	for _, a := range args {
		if strings.HasSuffix(a, ".csv") {
			a = filepath.Join(dir, a)
		}
		base = append(base, a)
	}
	return runCLI(t, "", base...)
}

// TestSelectionRunReadsFoundationFiles: the files of the Sortition
// Foundation's current library are read as they are.
func TestSelectionRunReadsFoundationFiles(t *testing.T) {
	dir := writeFiles(t, foundationFiles(","))
	r := selectionRun(t, dir, "--categories", "features.csv", "--respondents", "candidates.csv", "--panel-size", "5", "--seed", "Test")
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	if !strings.Contains(r.stderr, "Bewerbungen: 24") || !strings.Contains(r.stderr, "Id aus Spalte »nationbuilder_id«") || !strings.Contains(r.stdout, "5 Dateien") {
		t.Fatalf("output:\n%s\n%s", r.stderr, r.stdout)
	}
	md, err := os.ReadFile(filepath.Join(dir, "out", "report.md"))
	if err != nil || !strings.Contains(string(md), "| Altersgruppe | 60+ | 1 | 2 | 6 |") {
		t.Fatalf("report.md: %v\n%s", err, md)
	}
}

// TestSelectionRunReadsGermanExcel: the same files saved by German Excel
// (semicolons, byte order mark, CRLF) give the same result.
func TestSelectionRunReadsGermanExcel(t *testing.T) {
	comma := writeFiles(t, foundationFiles(","))
	semi := writeFiles(t, foundationFiles(";"))
	for _, dir := range []string{comma, semi} {
		r := selectionRun(t, dir, "--categories", "features.csv", "--respondents", "candidates.csv", "--panel-size", "5", "--seed", "Test")
		if r.err != nil {
			t.Fatalf("%s: %v\n%s", dir, r.err, r.stderr)
		}
	}
	a, _ := os.ReadFile(filepath.Join(comma, "out", "panels.csv"))
	b, _ := os.ReadFile(filepath.Join(semi, "out", "panels.csv"))
	if len(a) == 0 || string(a) != string(b) {
		t.Fatal("semicolon files drew other panels than comma files")
	}
}

// natureFiles are in the shape of the replication data of Flanigan et al.
// (Nature 2021): categories with the header category,feature,min,max and
// respondents with one column per category and no ids at all (no final
// line break).
func natureFiles() map[string]string {
	resp := []string{"gender,leaning"}
	for i := 0; i < 20; i++ {
		resp = append(resp, []string{"female,liberal", "male,conservative", "female,conservative", "male,liberal"}[i%4])
	}
	return map[string]string{
		"categories.csv":  "category,feature,min,max\ngender,female,2,4\ngender,male,2,4\nleaning,liberal,2,4\nleaning,conservative,2,4",
		"respondents.csv": strings.Join(resp, "\n"),
	}
}

// TestSelectionRunNatureData: without ids the first column cannot serve as
// id; the message names the column, the repeated value and both lines, and
// the two ways out. --line-ids numbers the applicants by line.
func TestSelectionRunNatureData(t *testing.T) {
	files := natureFiles()
	dir := writeFiles(t, files)
	// The first-column problem alone, with a header the command always read.
	oldHeader := writeFiles(t, map[string]string{
		"categories.csv":  strings.Replace(files["categories.csv"], "category,feature", "category,name", 1),
		"respondents.csv": files["respondents.csv"],
	})
	for _, d := range []string{oldHeader, dir} {
		r := selectionRun(t, d, "--categories", "categories.csv", "--respondents", "respondents.csv", "--panel-size", "4")
		if r.err == nil {
			t.Fatal("a file without ids was read with its first column as ids")
		}
		msg := r.err.Error()
		for _, want := range []string{"respondents.csv, Zeile 4:", "»gender«", "»female«", "Zeile 2", "--id-column", "--line-ids"} {
			if !strings.Contains(msg, want) {
				t.Errorf("message lacks %q: %s", want, msg)
			}
		}
	}
	r := selectionRun(t, dir, "--categories", "categories.csv", "--respondents", "respondents.csv", "--panel-size", "4", "--line-ids", "--seed", "x")
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	if !strings.Contains(r.stderr, "Bewerbungen: 20") || !strings.Contains(r.stderr, "Zeilennummer als Id") {
		t.Fatalf("output:\n%s", r.stderr)
	}
	probs, _ := os.ReadFile(filepath.Join(dir, "out", "probabilities.csv"))
	last := regexp.MustCompile(`\n21,(0\.\d+)\n`).FindStringSubmatch(string(probs))
	if last == nil {
		t.Fatalf("line 21 is the last applicant:\n%s", probs)
	}
	if p, _ := strconv.ParseFloat(last[1], 64); math.Abs(p-0.2) > 1e-6 {
		t.Fatalf("applicant 21 has %v, not 4/20", p)
	}
}

// TestSelectionRunIDColumn: --id-column names the id column of a file
// that has none of the usual names.
func TestSelectionRunIDColumn(t *testing.T) {
	dir := writeFiles(t, map[string]string{"r.csv": "Vorname,Kennung\nAnna,k1\nAnna,k2\nBen,k3\n"})
	r := selectionRun(t, dir, "--respondents", "r.csv", "--panel-size", "1", "--id-column", "Kennung", "--algorithm", "uniform")
	if r.err != nil || !strings.Contains(r.stderr, "Spalte »Kennung«") {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	r = selectionRun(t, dir, "--respondents", "r.csv", "--panel-size", "1", "--id-column", "Nummer")
	if r.err == nil || !strings.Contains(r.err.Error(), "r.csv, Zeile 1: Die Id-Spalte »Nummer« (--id-column) fehlt. Die Kopfzeile hat: Vorname, Kennung.") {
		t.Fatalf("%v", r.err)
	}
}

// TestSelectionRunFileErrorsNameLines: every problem in a file is named
// with the file and its line, in German, all at once.
func TestSelectionRunFileErrorsNameLines(t *testing.T) {
	good := quotaFiles(",", "category,name")
	for _, tc := range []struct {
		name, file, content string
		want                []string
	}{
		{"header", "features.csv", "Kategorie,Wert,min,max\nA,b,1,2\n", []string{"features.csv, Zeile 1: Die Kopfzeile »Kategorie,Wert,min,max« passt zu keinem bekannten Quotenformat"}},
		{"numbers", "features.csv", "category,name,min,max\nGeschlecht,weiblich,zwei,3\nGeschlecht,männlich,1,\n",
			[]string{"features.csv, Zeile 2: »zwei« in Spalte »min« ist keine ganze Zahl.", "features.csv, Zeile 3: Die Spalte »max« ist leer."}},
		{"quote", "candidates.csv", strings.Replace(good["candidates.csv"], "Nachname3,", "Nach\"name3,", 1), []string{"candidates.csv, Zeile 5: Ein Anführungszeichen"}},
		{"value", "candidates.csv", strings.Replace(good["candidates.csv"], ",weiblich,16-29", ",w,16-29", 1),
			[]string{"candidates.csv, Zeile 2: Id nb000: »w« ist kein Wert der Kategorie »Geschlecht« (Werte: weiblich, männlich, divers)."}},
		{"encoding", "candidates.csv", strings.Replace(good["candidates.csv"], "männlich", "m\xe4nnlich", 1), []string{"candidates.csv, Zeile 3: Die Datei ist nicht in UTF-8 kodiert."}},
		{"extra field", "candidates.csv", strings.Replace(good["candidates.csv"], "Weg 7,", "Weg 7, Hinterhaus,", 1),
			[]string{"candidates.csv, Zeile 9: Die Zeile hat 9 Felder, die Kopfzeile nur 8 Spalten (Trennzeichen »,«)."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := quotaFiles(",", "category,name")
			files[tc.file] = tc.content
			dir := writeFiles(t, files)
			r := selectionRun(t, dir, "--categories", "features.csv", "--respondents", "candidates.csv", "--panel-size", "5")
			if r.err == nil {
				t.Fatal("accepted")
			}
			for _, want := range tc.want {
				if !strings.Contains(r.err.Error(), want) {
					t.Errorf("want %q in\n%s", want, r.err)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
				t.Error("output written despite the error")
			}
		})
	}
}

// TestSelectionRunPanelSizeZero: 0 seats get their own message, not the
// one for a missing option.
func TestSelectionRunPanelSizeZero(t *testing.T) {
	dir := writeFiles(t, foundationFiles(","))
	r := selectionRun(t, dir, "--respondents", "candidates.csv", "--panel-size", "0")
	if r.err == nil || !strings.Contains(r.err.Error(), "--panel-size 0: Ohne Plätze gibt es nichts auszulosen.") {
		t.Fatalf("%v", r.err)
	}
	r = selectionRun(t, dir, "--respondents", "candidates.csv")
	if r.err == nil || r.err.Error() != "Bitte --panel-size angeben." {
		t.Fatalf("%v", r.err)
	}
}

// TestSelectionReportNamesUnselectable: people whose values no
// quota-satisfying panel has room for are named, in report.md and in the
// output.
func TestSelectionReportNamesUnselectable(t *testing.T) {
	files := quotaFiles(",", "category,name")
	files["features.csv"] += "Altersgruppe,unter 16,0,0,0,0\n"
	files["candidates.csv"] += "nb900,Kim,Kind,k@example.org,Weg 9,04109,weiblich,unter 16\n"
	dir := writeFiles(t, files)
	r := selectionRun(t, dir, "--categories", "features.csv", "--respondents", "candidates.csv", "--panel-size", "5")
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	md, _ := os.ReadFile(filepath.Join(dir, "out", "report.md"))
	if !strings.Contains(string(md), "1 Personen können in keinem Panel sitzen") || !strings.Contains(string(md), "- `nb900`") {
		t.Fatalf("report.md:\n%s", md)
	}
	if !strings.Contains(r.stderr, "Nicht auswählbar: 1 Personen") || !strings.Contains(r.stderr, "nb900") {
		t.Fatalf("output:\n%s", r.stderr)
	}
}

var germanWords = regexp.MustCompile(`\b(Bewerbungen|Zeile|Fehler|Bitte|Datei|Verteilung|Stufe|Ergebnis|Plätze|Kopfzeile|Spalte|Unbekannte|Zufallswert|Listeneintrag)\b`)

// TestSelectionRunOneLanguage: with --lang en every message of the run —
// help, flag errors, file errors, progress and result — is English; by
// default every one is German.
func TestSelectionRunOneLanguage(t *testing.T) {
	dir := writeFiles(t, quotaFiles(",", "category,name"))
	r := selectionRun(t, dir, "--lang", "en", "--categories", "features.csv", "--respondents", "candidates.csv", "--panel-size", "5", "--seed", "Test")
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	out := r.stderr + r.stdout
	if m := germanWords.FindAllString(out, -1); m != nil || !strings.Contains(out, "Applications: 24") || !strings.Contains(out, "Result in") {
		t.Fatalf("German %v in English output:\n%s", m, out)
	}
	r = selectionRun(t, dir, "--categories", "features.csv", "--respondents", "candidates.csv", "--panel-size", "5", "--seed", "Test")
	if r.err != nil || !strings.Contains(r.stderr, "Bewerbungen: 24") || !strings.Contains(r.stdout, "Ergebnis in") || strings.Contains(r.stderr+r.stdout, "Applications") {
		t.Fatalf("German run: %v\n%s%s", r.err, r.stderr, r.stdout)
	}

	bad := quotaFiles(",", "category,name")
	bad["features.csv"] = "category,name,min\nA,b,1\n"
	bad["candidates.csv"] = strings.Replace(bad["candidates.csv"], "divers", "x", 1)
	badDir := writeFiles(t, bad)
	for _, args := range [][]string{
		{"--categories", "features.csv", "--respondents", "candidates.csv", "--panel-size", "5"},
		{"--respondents", "candidates.csv", "--panel-size", "5", "--bogus"},
		{"--respondents", "candidates.csv", "--panel-size", "fünf"},
		{"--respondents", "candidates.csv", "--panel-size", "0"},
		{"--respondents", "fehlt.csv", "--panel-size", "5"},
		{"--respondents", "candidates.csv", "--panel-size", "500"},
		{"--respondents", "candidates.csv"},
	} {
		en := selectionRun(t, badDir, append([]string{"--lang", "en"}, args...)...)
		de := selectionRun(t, badDir, args...)
		if en.err == nil || de.err == nil {
			t.Fatalf("%v accepted", args)
		}
		var le *localizedError
		if !errors.As(en.err, &le) || le.label != "Error:" {
			t.Errorf("%v: English error without its label: %#v", args, en.err)
		}
		if m := germanWords.FindAllString(en.err.Error()+en.stderr, -1); m != nil {
			t.Errorf("%v: German %v in English:\n%s\n%s", args, m, en.err, en.stderr)
		}
		if strings.Contains(de.err.Error(), "flag") || strings.Contains(de.err.Error(), "line") || strings.Contains(de.stderr, "Usage") {
			t.Errorf("%v: English in German:\n%s\n%s", args, de.err, de.stderr)
		}
		if en.err.Error() == de.err.Error() {
			t.Errorf("%v: same text in both languages: %s", args, en.err)
		}
	}
	if r := runCLI(t, "", "selection", "run", "--lang", "fr"); r.err == nil || !strings.Contains(r.err.Error(), "de oder en") || !strings.Contains(r.err.Error(), "de or en") {
		t.Fatalf("unknown language: %v", r.err)
	}
	if r := runCLI(t, "", "selection", "verify", "--lang", "en", "draw.json"); r.err == nil || r.err.Error() != "`selection verify` reports its checks in German only; please call it without --lang en." {
		t.Fatalf("verify in English: %v", r.err)
	}
}

// TestSelectionProblemMessages: every problem the engine can report has a
// message in both languages.
func TestSelectionProblemMessages(t *testing.T) {
	b, err := i18n.Load(views.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range selection.ProblemCodes {
		for _, lang := range i18n.Languages {
			if !b.IDs(lang)["selection_cli.problem."+code] {
				t.Errorf("no %s message for problem %q", lang, code)
			}
		}
	}
}
