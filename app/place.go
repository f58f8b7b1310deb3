package app

import (
	"bytes"
	"strconv"
	"strings"
)

// Maps (issue 14): the population per Ortsteil an admin imports.
const (
	// AuditPopulationImport records a population import.
	AuditPopulationImport = "geo.population_import"
	// MaxPopulationBytes bounds the uploaded CSV file.
	MaxPopulationBytes = 64 << 10
	// MaxPopulation bounds the inhabitants of one Ortsteil.
	MaxPopulation = 1_000_000
	// SmallCount is the threshold below which open data suppresses a count.
	SmallCount = 3
)

// PopulationRow is one line of the population CSV: Ortsteil number;
// population; date.
type PopulationRow struct {
	Ortsteil   string
	Population int
	AsOf       string // YYYY-MM-DD
}

// ParsePopulationCSV reads "Ortsteil;Einwohner;Datum" lines (a header line
// is skipped, a comma also separates). known reports whether an Ortsteil
// number exists. Every problem is reported with its line; an Ortsteil given
// twice is a problem.
func ParsePopulationCSV(data []byte, known func(string) bool) ([]PopulationRow, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	var rows []PopulationRow
	var problems []RowError
	seen := map[string]bool{}
	for i, line := range strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") {
		n := i + 1
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		sep := ";"
		if !strings.Contains(line, ";") {
			sep = ","
		}
		f := strings.Split(line, sep)
		for j := range f {
			f[j] = strings.Trim(strings.TrimSpace(f[j]), `"`)
		}
		if len(rows) == 0 && len(problems) == 0 && len(f) > 0 && f[0] != "" && (f[0][0] < '0' || f[0][0] > '9') {
			continue // header
		}
		if len(f) != 3 {
			problems = append(problems, RowError{Line: n, Msg: M("geo.csv_columns")})
			continue
		}
		code := f[0]
		if len(code) == 1 {
			code = "0" + code
		}
		if !known(code) {
			problems = append(problems, RowError{Line: n, Msg: M("geo.csv_ortsteil", "Value", truncate(f[0], 20))})
			continue
		}
		if seen[code] {
			problems = append(problems, RowError{Line: n, Msg: M("geo.csv_twice", "Value", code)})
			continue
		}
		seen[code] = true
		pop, err := strconv.Atoi(strings.NewReplacer(".", "", " ", "").Replace(f[1]))
		if err != nil || pop < 0 || pop > MaxPopulation {
			problems = append(problems, RowError{Line: n, Msg: M("geo.csv_population", "Max", MaxPopulation)})
			continue
		}
		d, err := ParseDate(f[2])
		if err != nil || d == nil {
			problems = append(problems, RowError{Line: n, Msg: M("results.date_invalid")})
			continue
		}
		rows = append(rows, PopulationRow{Ortsteil: code, Population: pop, AsOf: d.In(Berlin).Format("2006-01-02")})
	}
	if len(problems) > 0 {
		return nil, &ImportError{Rows: problems}
	}
	if len(rows) == 0 {
		return nil, FieldInvalid("file", "geo.csv_empty")
	}
	return rows, nil
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
