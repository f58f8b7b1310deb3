package selection

import (
	"io"
	"strconv"
	"strings"
)

// categoryFormats are the header names of the categories files in use: the
// Sortition Foundation's current library (sortition-algorithms), its older
// Stratification App, and the replication data of Flanigan et al. (Nature
// 2021). Each file also has min and max; further columns (min_flex,
// max_flex, …) are ignored.
var categoryFormats = []struct{ category, value string }{
	{"feature", "value"},
	{"category", "name"},
	{"category", "feature"},
}

// CategoryHeaders lists the accepted categories headers, for messages.
const CategoryHeaders = "feature,value,min,max | category,name,min,max | category,feature,min,max"

// ParseCategories reads a categories file: one row per category value with
// its minimum and maximum number of seats, in any of the categoryFormats.
// Category names and values are compared without regard to case, as
// respondents' values are. All problems are reported in a *FileError.
func ParseCategories(r io.Reader) ([]Category, error) {
	t, err := readTable(r)
	if err != nil {
		return nil, err
	}
	catCol, valCol, err := categoryColumns(t)
	if err != nil {
		return nil, err
	}
	if err := t.noRows(); err != nil {
		return nil, err
	}
	minCol, _ := t.column("min")
	maxCol, _ := t.column("max")
	var ps problems
	var cats []Category
	catIndex := map[string]int{}
	firstLine := map[string]int{}
	for _, row := range t.rows {
		cat, val := row.field(catCol), row.field(valCol)
		ok := true
		for _, c := range []struct {
			col   int
			value string
		}{{catCol, cat}, {valCol, val}} {
			switch {
			case c.value == "":
				ps.add(row.line, ProblemEmptyCell, "Column", t.header[c.col])
				ok = false
			case hasBadChar(c.value):
				ps.add(row.line, ProblemLineBreak, "Value", c.value)
				ok = false
			}
		}
		bounds := [2]int{}
		for i, col := range []int{minCol, maxCol} {
			s := row.field(col)
			n, err := strconv.Atoi(s)
			switch {
			case s == "":
				ps.add(row.line, ProblemEmptyCell, "Column", t.header[col])
				ok = false
			case err != nil:
				ps.add(row.line, ProblemNotANumber, "Column", t.header[col], "Value", s)
				ok = false
			case n < 0:
				ps.add(row.line, ProblemNegative, "Column", t.header[col], "Value", s)
				ok = false
			}
			bounds[i] = n
		}
		if !ok {
			continue
		}
		key := strings.ToLower(cat) + "\x00" + strings.ToLower(val)
		if first, dup := firstLine[key]; dup {
			ps.add(row.line, ProblemDuplicateValue, "Category", cat, "Value", val, "First", first)
			continue
		}
		firstLine[key] = row.line
		ci, known := catIndex[strings.ToLower(cat)]
		if !known {
			ci = len(cats)
			catIndex[strings.ToLower(cat)] = ci
			cats = append(cats, Category{Name: cat})
		}
		cats[ci].Values = append(cats[ci].Values, Quota{Value: val, Min: bounds[0], Max: bounds[1]})
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	return cats, nil
}

// categoryColumns finds the category and value columns of the one format
// the header matches.
func categoryColumns(t *csvTable) (catCol, valCol int, err error) {
	found := strings.Join(t.header, ",")
	matches := 0
	for _, f := range categoryFormats {
		c, err := t.column(f.category)
		if err != nil {
			return 0, 0, err
		}
		v, err := t.column(f.value)
		if err != nil {
			return 0, 0, err
		}
		if c >= 0 && v >= 0 {
			catCol, valCol = c, v
			matches++
		}
	}
	for _, need := range []string{"min", "max"} {
		i, err := t.column(need)
		if err != nil {
			return 0, 0, err
		}
		if i < 0 {
			matches = 0
		}
	}
	switch matches {
	case 0:
		return 0, 0, fileError(1, ProblemCategoriesHeader, "Found", found, "Accepted", CategoryHeaders)
	case 1:
		return catCol, valCol, nil
	}
	return 0, 0, fileError(1, ProblemAmbiguousHeader, "Found", found, "Accepted", CategoryHeaders)
}

// RespondentsOptions say how to read a respondents file.
type RespondentsOptions struct {
	// IDColumn names the column with the applicants' ids. Without it the
	// column "id" or "nationbuilder_id" is used, else the first column if
	// its values are all different.
	IDColumn string
	// LineIDs numbers applicants by their line in the file instead, for
	// files without ids (e.g. the Nature 2021 replication data).
	LineIDs bool
	// HouseholdColumn optionally names the column with a household key.
	HouseholdColumn string
}

// Respondents is what ParseRespondents read.
type Respondents struct {
	People []Person
	// IDColumn is the header of the column the ids came from ("" for
	// line numbers).
	IDColumn string
}

// ParseRespondents reads the applicants: one row each, with an id and a
// column per category (same name, any case; values matched without regard
// to case and stored in the spelling of the categories file). Other
// columns are ignored. All problems — missing ids, duplicate ids, values
// that are not values of their category — are reported with their lines in
// a *FileError.
func ParseRespondents(r io.Reader, cats []Category, opts RespondentsOptions) (*Respondents, error) {
	t, err := readTable(r)
	if err != nil {
		return nil, err
	}
	idCol, err := idColumn(t, opts)
	if err != nil {
		return nil, err
	}
	columns := strings.Join(t.header, ", ")
	hhCol := -1
	if opts.HouseholdColumn != "" {
		if hhCol, err = t.column(opts.HouseholdColumn); err != nil {
			return nil, err
		}
		if hhCol < 0 {
			return nil, fileError(1, ProblemHouseholdColumn, "Column", opts.HouseholdColumn, "Columns", columns)
		}
	}
	catCol := make([]int, len(cats))
	canonical := make([]map[string]string, len(cats))
	allowed := make([]string, len(cats))
	for ci, c := range cats {
		if catCol[ci], err = t.column(c.Name); err != nil {
			return nil, err
		}
		if catCol[ci] < 0 {
			return nil, fileError(1, ProblemCategoryColumn, "Category", c.Name, "Columns", columns)
		}
		canonical[ci] = map[string]string{}
		var names []string
		for _, q := range c.Values {
			canonical[ci][strings.ToLower(q.Value)] = q.Value
			names = append(names, q.Value)
		}
		allowed[ci] = strings.Join(names, ", ")
	}
	if err := t.noRows(); err != nil {
		return nil, err
	}
	res := &Respondents{}
	if idCol >= 0 {
		res.IDColumn = t.header[idCol]
	}
	var ps problems
	seen := map[string]int{}
	for _, row := range t.rows {
		id := strconv.Itoa(row.line)
		if idCol >= 0 {
			id = row.field(idCol)
		}
		switch {
		case id == "":
			ps.add(row.line, ProblemNoID, "Column", res.IDColumn)
			continue
		case hasBadChar(id):
			ps.add(row.line, ProblemLineBreak, "Value", id)
			continue
		}
		if first, dup := seen[id]; dup {
			ps.add(row.line, ProblemDuplicateID, "ID", id, "First", first)
			continue
		}
		seen[id] = row.line
		p := Person{ID: id, Values: make(map[string]string, len(cats))}
		ok := true
		for ci, c := range cats {
			v := row.field(catCol[ci])
			cv, known := canonical[ci][strings.ToLower(v)]
			switch {
			case v == "":
				ps.add(row.line, ProblemEmptyCell, "Column", t.header[catCol[ci]])
				ok = false
			case !known:
				ps.add(row.line, ProblemUnknownValue, "ID", id, "Category", c.Name, "Value", v, "Values", allowed[ci])
				ok = false
			}
			p.Values[c.Name] = cv
		}
		if hhCol >= 0 {
			p.Household = strings.ToLower(strings.Join(strings.Fields(row.field(hhCol)), " "))
		}
		if ok {
			res.People = append(res.People, p)
		}
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	return res, nil
}

// idColumn finds the id column (-1 for line numbers). The first column
// stands in only when it can: a repeated value there means the file has no
// ids, and guessing would silently merge applicants.
func idColumn(t *csvTable, opts RespondentsOptions) (int, error) {
	if opts.LineIDs {
		return -1, nil
	}
	if opts.IDColumn != "" {
		i, err := t.column(opts.IDColumn)
		if err == nil && i < 0 {
			err = fileError(1, ProblemIDColumnMissing, "Column", opts.IDColumn, "Columns", strings.Join(t.header, ", "))
		}
		return i, err
	}
	for _, name := range []string{"id", "nationbuilder_id"} {
		if i, err := t.column(name); err != nil || i >= 0 {
			return i, err
		}
	}
	first := map[string]int{}
	for _, row := range t.rows {
		v := row.field(0)
		if line, dup := first[v]; dup && v != "" {
			return -1, fileError(row.line, ProblemIDColumnRepeats, "Column", t.header[0], "Value", v, "First", line)
		}
		first[v] = row.line
	}
	return 0, nil
}
