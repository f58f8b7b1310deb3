package selection

import (
	"errors"
	"strings"
	"testing"
)

func TestParseCategories(t *testing.T) {
	in := "\ufeffcategory,name,min,max,min_flex\nStadtgebiet,Nord,2,4,0\nStadtgebiet,Süd,1,3,0\nAlter,16-29,1,2,0\n"
	cats, err := ParseCategories(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(cats) != 2 || cats[0].Name != "Stadtgebiet" || len(cats[0].Values) != 2 || cats[0].Values[0] != (Quota{"Nord", 2, 4}) {
		t.Fatalf("%+v", cats)
	}
	if _, err := ParseCategories(strings.NewReader("category,name,min\n")); err == nil {
		t.Fatal("missing max column accepted")
	}
	if _, err := ParseCategories(strings.NewReader("category,name,min,max\nA,b,x,2\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("bad number: %v", err)
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
	people, err := ParseRespondents(strings.NewReader(in), cats, "Adresse")
	var re *RowsError
	if !errors.As(err, &re) {
		t.Fatalf("want RowsError, got %v", err)
	}
	lines := []int{}
	for _, r := range re.Rows {
		lines = append(lines, r.Line)
	}
	if len(lines) != 3 || lines[0] != 3 || lines[1] != 5 || lines[2] != 6 {
		t.Fatalf("bad lines %v (%v)", lines, re.Rows)
	}
	if re.Rows[0].Column != "Stadtgebiet" || re.Rows[0].Value != "West" || !strings.Contains(err.Error(), "Zeile 3") {
		t.Fatalf("row problem %+v / %v", re.Rows[0], err)
	}
	if len(people) != 2 || people[0].ID != "17" || people[1].Values["Stadtgebiet"] != "Süd" {
		t.Fatalf("people %+v", people)
	}
	if people[0].Household != people[1].Household {
		t.Fatalf("household keys %q %q", people[0].Household, people[1].Household)
	}
}

func TestParseRespondentsIDColumn(t *testing.T) {
	// Without id/nationbuilder_id the first column is the id; extra columns
	// are ignored.
	people, err := ParseRespondents(strings.NewReader("nummer,egal\nA1,x\nA2,y\n"), nil, "")
	if err != nil || len(people) != 2 || people[1].ID != "A2" {
		t.Fatalf("%+v %v", people, err)
	}
	people, err = ParseRespondents(strings.NewReader("x,id\nfoo,7\n"), nil, "")
	if err != nil || people[0].ID != "7" {
		t.Fatalf("%+v %v", people, err)
	}
}
