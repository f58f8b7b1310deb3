package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestSurveyResultsStamp: the stamp the cached results of a survey are kept
// under (issue 15) moves with every saved response, also a changed one
// that keeps the number of responses (and, on a clock that stands still,
// every timestamp), and with a deleted one; a draft does not move it, and
// the stamp of another survey stays.
func TestSurveyResultsStamp(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s := testenv.OpenStore(t, func() time.Time { return at })
	sv, other := &app.Survey{Title: "Eins"}, &app.Survey{Title: "Zwei"}
	for _, x := range []*app.Survey{sv, other} {
		if err := s.CreateSurvey(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	q := &app.SurveyQuestion{SurveyID: sv.ID, Kind: app.QSingle, Text: "Wie?", Options: []string{"a", "b"}, SinceVersion: 1}
	if err := s.CreateSurveyQuestion(ctx, q); err != nil {
		t.Fatal(err)
	}
	stamp := func(id int64) store.SurveyResultsStamp {
		t.Helper()
		st, err := s.SurveyResultsStamp(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	seen := map[store.SurveyResultsStamp]string{stamp(sv.ID): "empty"}
	moved := func(what string) {
		t.Helper()
		st := stamp(sv.ID)
		if prev, ok := seen[st]; ok {
			t.Fatalf("%s: stamp %+v as after %s", what, st, prev)
		}
		seen[st] = what
	}
	otherBefore := stamp(other.ID)
	u := testenv.CreateUser(t, s, "eins@example.org", "Eins", app.RoleCitizen)
	r := &app.SurveyResponse{SurveyID: sv.ID, Version: 1, UserID: &u.ID, SubmittedAt: &at}
	if err := s.SaveSurveyResponse(ctx, r, nil, map[int64]app.SurveyAnswer{q.ID: {QuestionID: q.ID, Value: "1"}}); err != nil {
		t.Fatal(err)
	}
	moved("a new response")
	if st := stamp(sv.ID); st.Responses != 1 {
		t.Fatalf("responses %d", st.Responses)
	}
	if err := s.SaveSurveyResponse(ctx, r, []int64{q.ID}, map[int64]app.SurveyAnswer{q.ID: {QuestionID: q.ID, Value: "2"}}); err != nil {
		t.Fatal(err)
	}
	moved("a changed response")
	before := stamp(sv.ID)
	if err := s.SaveSurveyProgress(ctx, sv.ID, u.ID, 1, 1, `{"x":["1"]}`); err != nil {
		t.Fatal(err)
	}
	if st := stamp(sv.ID); st != before {
		t.Errorf("a draft moved the stamp: %+v -> %+v", before, st)
	}
	if err := s.Gorm().Exec("DELETE FROM survey_responses WHERE id = ?", r.ID).Error; err != nil {
		t.Fatal(err)
	}
	moved("a deleted response")
	if st := stamp(other.ID); st != otherBefore {
		t.Errorf("another survey's stamp moved: %+v -> %+v", otherBefore, st)
	}
}
