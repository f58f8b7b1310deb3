package selection

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// MaxFileSize is the largest categories or respondents file read (64 MiB:
// far more than any pool, small enough to hold in memory).
const MaxFileSize = 64 << 20

// csvTable is a CSV file as spreadsheet programs write it: UTF-8 with or
// without a byte order mark, separated by commas, semicolons (German Excel)
// or tabs, whichever the header line uses most.
type csvTable struct {
	header []string
	rows   []csvRow
}

type csvRow struct {
	line   int // 1-based line where the row starts
	fields []string
}

// readTable reads and checks the whole file: every problem that makes the
// rows unreliable (encoding, quotes, a row with more or fewer fields than
// the header) is reported with its line.
func readTable(r io.Reader) (*csvTable, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fileError(0, ProblemTooLarge, "MaxMB", MaxFileSize>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		return nil, fileError(invalidUTF8Line(data), ProblemNotUTF8)
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = detectDelimiter(data)
	cr.FieldsPerRecord = -1 // counted below, to name both counts
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fileError(1, ProblemEmpty)
	}
	if err != nil {
		return nil, syntaxError(err)
	}
	t := &csvTable{header: make([]string, len(header))}
	for i, h := range header {
		t.header[i] = strings.TrimSpace(h)
	}
	var ps problems
	for {
		fields, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, syntaxError(err)
		}
		line, _ := cr.FieldPos(0)
		if blank(fields) {
			continue
		}
		switch {
		case len(fields) > len(header):
			ps.add(line, ProblemExtraFields, "Fields", len(fields), "Columns", len(header), "Delimiter", string(cr.Comma))
		case len(fields) < len(header):
			ps.add(line, ProblemMissingFields, "Fields", len(fields), "Columns", len(header), "Delimiter", string(cr.Comma))
		}
		for i := range fields {
			fields[i] = strings.TrimSpace(fields[i])
		}
		t.rows = append(t.rows, csvRow{line: line, fields: fields})
	}
	return t, ps.err()
}

// noRows is the error of a file with a header only; the parsers check the
// header first, as a wrong header is the likelier mistake.
func (t *csvTable) noRows() error {
	if len(t.rows) == 0 {
		return fileError(1, ProblemNoRows)
	}
	return nil
}

// detectDelimiter picks the separator the header line uses most (commas on
// a tie). Quoted text does not count.
func detectDelimiter(data []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, c := range string(data) {
		if c == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		if c == '\n' || c == '\r' {
			break
		}
		counts[c]++
	}
	best := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

func syntaxError(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return err
	}
	if errors.Is(pe.Err, csv.ErrBareQuote) {
		return fileError(pe.Line, ProblemStrayQuote, "Column", pe.Column)
	}
	return fileError(pe.StartLine, ProblemOpenQuote)
}

func invalidUTF8Line(data []byte) int {
	line := 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		data = data[size:]
	}
	return line
}

func blank(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// column finds a header column by name, ignoring case. A name that occurs
// twice is a problem, as nobody can tell which column is meant.
func (t *csvTable) column(name string) (int, error) {
	found := -1
	for i, h := range t.header {
		if strings.EqualFold(h, name) {
			if found >= 0 {
				return -1, fileError(1, ProblemDuplicateColumn, "Column", h)
			}
			found = i
		}
	}
	return found, nil
}

// field returns a row's field i, or "" when the row is shorter.
func (r csvRow) field(i int) string {
	if i >= 0 && i < len(r.fields) {
		return r.fields[i]
	}
	return ""
}
