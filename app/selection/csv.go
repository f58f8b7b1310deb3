package selection

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// RowProblem is a respondent row that cannot be used.
type RowProblem struct {
	Line    int    `json:"line"` // 1-based line in the file
	ID      string `json:"id"`
	Column  string `json:"column,omitempty"`
	Value   string `json:"value,omitempty"`
	Message string `json:"message"`
}

// RowsError reports all unusable respondent rows.
type RowsError struct {
	Rows []RowProblem
}

func (e *RowsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d ungültige Zeilen in der Bewerbungsdatei", len(e.Rows))
	for i, r := range e.Rows {
		if i == 10 {
			fmt.Fprintf(&b, "; …")
			break
		}
		fmt.Fprintf(&b, "; Zeile %d: %s", r.Line, r.Message)
	}
	return b.String()
}

func newCSVReader(r io.Reader) *csv.Reader {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	return cr
}

func cleanHeader(h []string) []string {
	out := make([]string, len(h))
	for i, s := range h {
		if i == 0 {
			s = strings.TrimPrefix(s, "\ufeff") // BOM written by spreadsheet programs
		}
		out[i] = strings.TrimSpace(s)
	}
	return out
}

// ParseCategories reads the Sortition Foundation categories format:
// columns category,name,min,max (further columns such as min_flex are
// ignored), one row per category value.
func ParseCategories(r io.Reader) ([]Category, error) {
	cr := newCSVReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("categories: reading header: %w", err)
	}
	header = cleanHeader(header)
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(h)] = i
	}
	for _, need := range []string{"category", "name", "min", "max"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("categories: column %q missing (need category,name,min,max)", need)
		}
	}
	var cats []Category
	pos := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("categories: %w", err)
		}
		line, _ := cr.FieldPos(0)
		get := func(name string) string {
			if i := col[name]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.Join(rec, "") == "" {
			continue
		}
		cat, val := get("category"), get("name")
		if cat == "" || val == "" {
			return nil, fmt.Errorf("categories: line %d: category and name must not be empty", line)
		}
		minV, err1 := strconv.Atoi(get("min"))
		maxV, err2 := strconv.Atoi(get("max"))
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("categories: line %d: min and max must be integers", line)
		}
		ci, ok := pos[cat]
		if !ok {
			ci = len(cats)
			pos[cat] = ci
			cats = append(cats, Category{Name: cat})
		}
		cats[ci].Values = append(cats[ci].Values, Quota{Value: val, Min: minV, Max: maxV})
	}
	return cats, nil
}

// ParseRespondents reads respondents: the id is taken from a column named
// "id" or "nationbuilder_id", else from the first column; each category
// needs a column of the same name (case-insensitive); householdColumn
// (optional) names the column holding the household key. Other columns are
// ignored. Rows with missing ids, duplicate ids or values that are not
// values of the category are all reported in a *RowsError with line numbers.
func ParseRespondents(r io.Reader, cats []Category, householdColumn string) ([]Person, error) {
	cr := newCSVReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("respondents: reading header: %w", err)
	}
	header = cleanHeader(header)
	idCol := 0
	hhCol := -1
	col := map[string]int{}
	for i, h := range header {
		l := strings.ToLower(h)
		if _, dup := col[l]; !dup {
			col[l] = i
		}
	}
	if i, ok := col["id"]; ok {
		idCol = i
	} else if i, ok := col["nationbuilder_id"]; ok {
		idCol = i
	}
	if householdColumn != "" {
		i, ok := col[strings.ToLower(householdColumn)]
		if !ok {
			return nil, fmt.Errorf("respondents: household column %q missing", householdColumn)
		}
		hhCol = i
	}
	catCol := make([]int, len(cats))
	canonical := make([]map[string]string, len(cats))
	for ci, c := range cats {
		i, ok := col[strings.ToLower(c.Name)]
		if !ok {
			return nil, fmt.Errorf("respondents: column for category %q missing", c.Name)
		}
		catCol[ci] = i
		canonical[ci] = map[string]string{}
		for _, q := range c.Values {
			canonical[ci][strings.ToLower(q.Value)] = q.Value
		}
	}
	var people []Person
	var problems []RowProblem
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("respondents: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue
		}
		field := func(i int) string {
			if i >= 0 && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		p := Person{ID: field(idCol), Values: map[string]string{}}
		ok := true
		if p.ID == "" {
			problems = append(problems, RowProblem{Line: line, Message: "keine Id"})
			continue
		}
		if first, dup := seen[p.ID]; dup {
			problems = append(problems, RowProblem{Line: line, ID: p.ID, Message: fmt.Sprintf("Id %q bereits in Zeile %d", p.ID, first)})
			continue
		}
		seen[p.ID] = line
		for ci, c := range cats {
			v := field(catCol[ci])
			cv, known := canonical[ci][strings.ToLower(v)]
			if !known {
				problems = append(problems, RowProblem{Line: line, ID: p.ID, Column: c.Name, Value: v,
					Message: fmt.Sprintf("Id %s: Wert »%s« ist kein Wert der Kategorie »%s«", p.ID, v, c.Name)})
				ok = false
				continue
			}
			p.Values[c.Name] = cv
		}
		if hhCol >= 0 {
			p.Household = strings.ToLower(strings.Join(strings.Fields(field(hhCol)), " "))
		}
		if ok {
			people = append(people, p)
		}
	}
	if len(problems) > 0 {
		return people, &RowsError{Rows: problems}
	}
	return people, nil
}
