package selection

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// fileProblems returns the problems of a *FileError (failing otherwise).
func fileProblems(t *testing.T, err error) []Problem {
	t.Helper()
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("want *FileError, got %v", err)
	}
	return fe.Problems
}

func onlyProblem(t *testing.T, err error, line int, code string) Problem {
	t.Helper()
	ps := fileProblems(t, err)
	if len(ps) != 1 || ps[0].Line != line || ps[0].Code != code {
		t.Fatalf("want one %s at line %d, got %+v", code, line, ps)
	}
	return ps[0]
}

func TestParseCategories(t *testing.T) {
	in := "\ufeffcategory,name,min,max,min_flex\nStadtgebiet,Nord,2,4,0\nStadtgebiet,Süd,1,3,0\nAlter,16-29,1,2,0\n"
	cats, err := ParseCategories(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(cats) != 2 || cats[0].Name != "Stadtgebiet" || len(cats[0].Values) != 2 || cats[0].Values[0] != (Quota{"Nord", 2, 4}) {
		t.Fatalf("%+v", cats)
	}
	_, err = ParseCategories(strings.NewReader("category,name,min\n"))
	onlyProblem(t, err, 1, ProblemCategoriesHeader)
	_, err = ParseCategories(strings.NewReader("category,name,min,max\nA,b,x,2\n"))
	p := onlyProblem(t, err, 2, ProblemNotANumber)
	if p.Args["Column"] != "min" || p.Args["Value"] != "x" {
		t.Fatalf("args %+v", p.Args)
	}
}

// TestParseCategoriesFormats: the header of the Sortition Foundation's
// current library (feature,value with the flex columns), of its older app
// (category,name) and of the Nature 2021 replication data
// (category,feature) describe the same quotas.
func TestParseCategoriesFormats(t *testing.T) {
	want := []Category{
		{Name: "Geschlecht", Values: []Quota{{"weiblich", 4, 6}, {"männlich", 4, 6}, {"divers", 0, 1}}},
		{Name: "Alter", Values: []Quota{{"unter 16", 0, 0}, {"16-39", 3, 5}, {"40+", 4, 6}}},
	}
	rows := "Geschlecht,weiblich,4,6%s\nGeschlecht,männlich,4,6%s\nGeschlecht,divers,0,1%s\nAlter,unter 16,0,0%s\nAlter,16-39,3,5%s\nAlter,40+,4,6%s\n"
	for _, tc := range []struct{ name, header, flex string }{
		{"sortition-algorithms", "feature,value,min,max,min_flex,max_flex", ",0,10"},
		{"stratification-app", "category,name,min,max", ""},
		{"nature replication", "category,feature,min,max", ""},
		{"upper case", "Feature,Value,Min,Max", ""},
	} {
		f := tc.flex
		in := tc.header + "\n" + strings.ReplaceAll(rows, "%s", f)
		got, err := ParseCategories(strings.NewReader(in))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: got %+v", tc.name, got)
		}
	}
	_, err := ParseCategories(strings.NewReader("category,feature,value,min,max\nA,b,c,1,2\n"))
	onlyProblem(t, err, 1, ProblemAmbiguousHeader)
	_, err = ParseCategories(strings.NewReader("Kategorie,Wert,min,max\nA,b,1,2\n"))
	p := onlyProblem(t, err, 1, ProblemCategoriesHeader)
	if p.Args["Found"] != "Kategorie,Wert,min,max" {
		t.Fatalf("args %+v", p.Args)
	}
}

// TestParseCategoriesProblemsByLine: every problem names its line, and all
// of them are reported at once.
func TestParseCategoriesProblemsByLine(t *testing.T) {
	in := strings.Join([]string{
		"feature,value,min,max",
		"Alter,jung,1,2",
		",alt,1,2",       // 3: no category
		"Alter,jung,0,1", // 4: twice
		"Alter,mittel,-1,2",
		"Alter,alt,1,",
	}, "\n")
	_, err := ParseCategories(strings.NewReader(in))
	ps := fileProblems(t, err)
	got := []string{}
	for _, p := range ps {
		got = append(got, p.Code+"@"+string(rune('0'+p.Line)))
	}
	want := []string{"empty_cell@3", "duplicate_value@4", "negative@5", "empty_cell@6"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if ps[1].Args["First"] != 2 {
		t.Fatalf("duplicate names the first line: %+v", ps[1])
	}
}

func TestParseRespondentsReportsBadRowsByLine(t *testing.T) {
	cats := []Category{{Name: "Stadtgebiet", Values: []Quota{{"Nord", 0, 1}, {"Süd", 0, 1}}}}
	in := strings.Join([]string{
		"name,nationbuilder_id,stadtgebiet,Adresse",
		"Anna,17,Nord,Hauptstr. 1",
		"Bert,18,West,Hauptstr. 2", // line 3: unknown value
		"Cem,19,süd,Hauptstr. 1",   // case-insensitive match
		"Dora,,Nord,x",             // line 5: no id
		"Emil,17,Süd,y",            // line 6: duplicate id
	}, "\n")
	_, err := ParseRespondents(strings.NewReader(in), cats, RespondentsOptions{HouseholdColumn: "Adresse"})
	ps := fileProblems(t, err)
	if len(ps) != 3 || ps[0].Line != 3 || ps[1].Line != 5 || ps[2].Line != 6 {
		t.Fatalf("bad lines %+v", ps)
	}
	if ps[0].Code != ProblemUnknownValue || ps[0].Args["Category"] != "Stadtgebiet" || ps[0].Args["Value"] != "West" || ps[0].Args["Values"] != "Nord, Süd" {
		t.Fatalf("row problem %+v", ps[0])
	}
	if ps[1].Code != ProblemNoID || ps[2].Code != ProblemDuplicateID || ps[2].Args["First"] != 2 {
		t.Fatalf("row problems %+v", ps)
	}

	res, err := ParseRespondents(strings.NewReader(strings.Join([]string{
		"name,nationbuilder_id,stadtgebiet,Adresse",
		"Anna,17,Nord,Hauptstr.  1",
		"Cem,19,süd,hauptstr. 1",
	}, "\n")), cats, RespondentsOptions{HouseholdColumn: "Adresse"})
	if err != nil {
		t.Fatal(err)
	}
	people := res.People
	if len(people) != 2 || people[0].ID != "17" || people[1].Values["Stadtgebiet"] != "Süd" || res.IDColumn != "nationbuilder_id" {
		t.Fatalf("people %+v", res)
	}
	if people[0].Household != people[1].Household {
		t.Fatalf("household keys %q %q", people[0].Household, people[1].Household)
	}
}

func TestParseRespondentsIDColumn(t *testing.T) {
	// Without id/nationbuilder_id the first column is the id when its
	// values differ; extra columns are ignored.
	res, err := ParseRespondents(strings.NewReader("nummer,egal\nA1,x\nA2,y\n"), nil, RespondentsOptions{})
	if err != nil || len(res.People) != 2 || res.People[1].ID != "A2" || res.IDColumn != "nummer" {
		t.Fatalf("%+v %v", res, err)
	}
	res, err = ParseRespondents(strings.NewReader("x,id\nfoo,7\n"), nil, RespondentsOptions{})
	if err != nil || res.People[0].ID != "7" {
		t.Fatalf("%+v %v", res, err)
	}
	// --id-column names any column.
	res, err = ParseRespondents(strings.NewReader("Vorname,Kennung\nAnna,k1\nAnna,k2\n"), nil, RespondentsOptions{IDColumn: "kennung"})
	if err != nil || len(res.People) != 2 || res.People[1].ID != "k2" || res.IDColumn != "Kennung" {
		t.Fatalf("%+v %v", res, err)
	}
	_, err = ParseRespondents(strings.NewReader("Vorname,Kennung\nAnna,k1\n"), nil, RespondentsOptions{IDColumn: "Nummer"})
	p := onlyProblem(t, err, 1, ProblemIDColumnMissing)
	if p.Args["Columns"] != "Vorname, Kennung" {
		t.Fatalf("args %+v", p.Args)
	}
}

// TestParseRespondentsWithoutIDs: a file without ids (the shape of the
// Nature replication data: one column per category, nothing else) is not
// read with its first column as ids; the problem is named, and LineIDs
// numbers the applicants by line.
func TestParseRespondentsWithoutIDs(t *testing.T) {
	cats := []Category{
		{Name: "Geschlecht", Values: []Quota{{"weiblich", 1, 2}, {"männlich", 1, 2}}},
		{Name: "Haltung", Values: []Quota{{"links", 1, 2}, {"rechts", 1, 2}}},
	}
	in := "Geschlecht,Haltung\nweiblich,links\nmännlich,rechts\nweiblich,rechts\nmännlich,links"
	_, err := ParseRespondents(strings.NewReader(in), cats, RespondentsOptions{})
	p := onlyProblem(t, err, 4, ProblemIDColumnRepeats)
	if p.Args["Column"] != "Geschlecht" || p.Args["Value"] != "weiblich" || p.Args["First"] != 2 {
		t.Fatalf("args %+v", p.Args)
	}
	res, err := ParseRespondents(strings.NewReader(in), cats, RespondentsOptions{LineIDs: true})
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, p := range res.People {
		ids = append(ids, p.ID)
	}
	if !reflect.DeepEqual(ids, []string{"2", "3", "4", "5"}) || res.People[3].Values["Haltung"] != "links" || res.IDColumn != "" {
		t.Fatalf("%+v", res)
	}
}

// TestCSVFromGermanExcel: semicolons, a byte order mark and CRLF, as German
// Excel saves "CSV UTF-8"; commas inside values stay values.
func TestCSVFromGermanExcel(t *testing.T) {
	cats, err := ParseCategories(strings.NewReader("\ufefffeature;value;min;max\r\nStadtgebiet;Nord, Ost;1;2\r\nStadtgebiet;Süd;1;2\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cats[0].Values[0].Value != "Nord, Ost" {
		t.Fatalf("%+v", cats)
	}
	res, err := ParseRespondents(strings.NewReader("\ufeffnationbuilder_id;Name;Stadtgebiet\r\n7;\"Weber; Anna\";Nord, Ost\r\n8;Kim;süd\r\n"), cats, RespondentsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.People) != 2 || res.People[0].Values["Stadtgebiet"] != "Nord, Ost" || res.People[1].ID != "8" {
		t.Fatalf("%+v", res)
	}
	// Tabs work too.
	if _, err := ParseCategories(strings.NewReader("category\tname\tmin\tmax\nA\tb\t1\t2\n")); err != nil {
		t.Fatal(err)
	}
}

// TestCSVRowShape: a row with more fields than the header (e.g. an
// unquoted comma in an address) is an error, not silently shifted data;
// so are fewer fields, broken quotes and bytes that are not UTF-8.
func TestCSVRowShape(t *testing.T) {
	cats := []Category{{Name: "Stadtgebiet", Values: []Quota{{"Nord", 0, 1}}}}
	_, err := ParseRespondents(strings.NewReader("id,Stadtgebiet,Adresse\n1,Nord,Hauptstr. 1\n2,Nord,Ring 3, Leipzig\n3,Nord\n"), cats, RespondentsOptions{})
	ps := fileProblems(t, err)
	if len(ps) != 2 || ps[0].Code != ProblemExtraFields || ps[0].Line != 3 || ps[0].Args["Fields"] != 4 || ps[0].Args["Columns"] != 3 ||
		ps[1].Code != ProblemMissingFields || ps[1].Line != 4 {
		t.Fatalf("%+v", ps)
	}
	for _, tc := range []struct {
		in   string
		line int
		code string
	}{
		{"id,Stadtgebiet\n1,Nord\n2,No\"rd\n", 3, ProblemStrayQuote},
		{"id,Stadtgebiet\n1,Nord\n2,\"Nord\n3,Nord\n", 3, ProblemOpenQuote},
		{"id,Stadtgebiet\n1,Nord\n2,S\xfcd\n", 3, ProblemNotUTF8},
		{"", 1, ProblemEmpty},
		{"id,Stadtgebiet\n", 1, ProblemNoRows},
		{"id,Stadtgebiet,stadtgebiet\n1,Nord,Nord\n", 1, ProblemDuplicateColumn},
		{"id,Bezirk\n1,Nord\n", 1, ProblemCategoryColumn},
	} {
		_, err := ParseRespondents(strings.NewReader(tc.in), cats, RespondentsOptions{})
		onlyProblem(t, err, tc.line, tc.code)
	}
}

func TestCSVSizeLimit(t *testing.T) {
	big := strings.NewReader("id\n" + strings.Repeat("x\n", MaxFileSize/2+1))
	_, err := ParseRespondents(big, nil, RespondentsOptions{})
	onlyProblem(t, err, 0, ProblemTooLarge)
}
