package selection

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong in an input file, at a line. Code and Args
// (template data with capitalised keys) let the caller say it in the user's
// language; the package itself has no user-facing wording for them.
type Problem struct {
	Line int            `json:"line"` // 1-based; the header is line 1
	Code string         `json:"code"`
	Args map[string]any `json:"args,omitempty"`
}

// Problem codes. Each needs a message in the command line's catalogs
// (views/locales/selection_cli.*.toml, table selection_cli.problem).
const (
	ProblemTooLarge         = "too_large"
	ProblemEmpty            = "empty"
	ProblemNoRows           = "no_rows"
	ProblemNotUTF8          = "not_utf8"
	ProblemStrayQuote       = "stray_quote"
	ProblemOpenQuote        = "open_quote"
	ProblemExtraFields      = "extra_fields"
	ProblemMissingFields    = "missing_fields"
	ProblemDuplicateColumn  = "duplicate_column"
	ProblemLineBreak        = "line_break"
	ProblemCategoriesHeader = "categories_header"
	ProblemAmbiguousHeader  = "ambiguous_header"
	ProblemEmptyCell        = "empty_cell"
	ProblemNotANumber       = "not_a_number"
	ProblemNegative         = "negative"
	ProblemDuplicateValue   = "duplicate_value"
	ProblemIDColumnMissing  = "id_column_missing"
	ProblemIDColumnRepeats  = "id_column_repeats"
	ProblemCategoryColumn   = "category_column_missing"
	ProblemHouseholdColumn  = "household_column_missing"
	ProblemNoID             = "no_id"
	ProblemDuplicateID      = "duplicate_id"
	ProblemUnknownValue     = "unknown_value"
	ProblemTooManyProblems  = "too_many_problems"
)

// maxProblems is how many problems of one file are listed; a file with
// more is most likely not the file meant.
const maxProblems = 100

// ProblemCodes lists every code, for the catalog completeness test.
var ProblemCodes = []string{
	ProblemTooLarge, ProblemEmpty, ProblemNoRows, ProblemNotUTF8, ProblemStrayQuote, ProblemOpenQuote,
	ProblemExtraFields, ProblemMissingFields, ProblemDuplicateColumn, ProblemLineBreak,
	ProblemCategoriesHeader, ProblemAmbiguousHeader, ProblemEmptyCell, ProblemNotANumber, ProblemNegative,
	ProblemDuplicateValue, ProblemIDColumnMissing, ProblemIDColumnRepeats, ProblemCategoryColumn,
	ProblemHouseholdColumn, ProblemNoID, ProblemDuplicateID, ProblemUnknownValue, ProblemTooManyProblems,
}

// FileError lists the problems found in one input file; nothing is drawn
// until all are fixed.
type FileError struct {
	Path     string // as given by the caller; empty when reading a stream
	Problems []Problem
}

func (e *FileError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = fmt.Sprintf("line %d: %s", p.Line, p.Code)
		if len(p.Args) > 0 {
			keys := make([]string, 0, len(p.Args))
			for k := range p.Args {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			args := make([]string, len(keys))
			for j, k := range keys {
				args[j] = fmt.Sprintf("%s=%v", k, p.Args[k])
			}
			parts[i] += " (" + strings.Join(args, ", ") + ")"
		}
	}
	msg := strings.Join(parts, "; ")
	if e.Path != "" {
		msg = e.Path + ": " + msg
	}
	return msg
}

// problems collects the problems of one file, up to maxProblems.
type problems struct {
	list []Problem
}

func (ps *problems) add(line int, code string, kv ...any) {
	if len(ps.list) == maxProblems {
		ps.list = append(ps.list, Problem{Line: line, Code: ProblemTooManyProblems, Args: map[string]any{"Max": maxProblems}})
	}
	if len(ps.list) > maxProblems {
		return
	}
	p := Problem{Line: line, Code: code}
	if len(kv) > 0 {
		p.Args = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			p.Args[kv[i].(string)] = kv[i+1]
		}
	}
	ps.list = append(ps.list, p)
}

func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	return &FileError{Problems: ps.list}
}

// fileError is the error of a single problem.
func fileError(line int, code string, kv ...any) error {
	var ps problems
	ps.add(line, code, kv...)
	return ps.err()
}
