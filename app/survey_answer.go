package app

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// ScalePoints is the number of points of a scale or matrix question.
const ScalePoints = 5

// AnswerChecks looks up what the domain cannot know by itself.
type AnswerChecks struct {
	// Ortsteil reports whether a code is a known Ortsteil.
	Ortsteil func(code string) bool
	// InCity reports whether a point (WGS84) lies inside the city.
	InCity func(lat, lon float64) bool
}

// Visible reports whether q is asked given the answers so far: a question
// with a condition only when the earlier choice includes the option.
func (q *SurveyQuestion) Visible(answers map[int64]SurveyAnswer) bool {
	if q.CondQuestionID == nil {
		return true
	}
	a, ok := answers[*q.CondQuestionID]
	return ok && slices.Contains(strings.Split(a.Value, ","), strconv.Itoa(q.CondOption))
}

// ParseAnswers reads the answers to questions (in order) from a submitted
// form. Answers to questions hidden by their condition are dropped; every
// problem is reported on the question's field in German.
func ParseAnswers(questions []SurveyQuestion, form map[string][]string, chk AnswerChecks) (map[int64]SurveyAnswer, error) {
	var v Validator
	out := map[int64]SurveyAnswer{}
	for i := range questions {
		q := &questions[i]
		if !q.Visible(out) {
			continue
		}
		a, ok := q.parse(&v, form, chk)
		if ok {
			a.QuestionID = q.ID
			out[q.ID] = a
		} else if q.Required && !v.Has(q.Field()) {
			v.Add(q.Field(), "surveys.answer_required")
		}
	}
	return out, v.Err()
}

func first(form map[string][]string, name string) string {
	if vals := form[name]; len(vals) > 0 {
		return strings.TrimSpace(vals[0])
	}
	return ""
}

// parse reads one answer; ok is false when there is none (or it is bad,
// then with an error on the field).
func (q *SurveyQuestion) parse(v *Validator, form map[string][]string, chk AnswerChecks) (SurveyAnswer, bool) {
	f := q.Field()
	var a SurveyAnswer
	switch q.Kind {
	case QSingle, QMulti:
		var picked []string
		for _, s := range form[f] {
			if s == "other" && q.Other {
				picked = append(picked, s)
				continue
			}
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 || n > len(q.Options) || slices.Contains(picked, s) {
				v.Add(f, "surveys.answer_invalid")
				return a, false
			}
			picked = append(picked, s)
		}
		if q.Kind == QSingle && len(picked) > 1 {
			v.Add(f, "surveys.answer_invalid")
			return a, false
		}
		if len(picked) == 0 {
			return a, false
		}
		if q.Kind == QMulti && q.MinChoices > 0 && len(picked) < q.MinChoices {
			v.Add(f, "surveys.too_few_choices", "Min", q.MinChoices)
			return a, false
		}
		if q.Kind == QMulti && q.MaxChoices > 0 && len(picked) > q.MaxChoices {
			v.Add(f, "surveys.too_many_choices", "Max", q.MaxChoices)
			return a, false
		}
		if slices.Contains(picked, "other") {
			a.Other = CleanLine(first(form, f+"_other"))
			v.Line(f, a.Other, true, MaxOtherAnswer)
			if v.Has(f) {
				return a, false
			}
		}
		a.Value = strings.Join(picked, ",")
	case QScale:
		s := first(form, f)
		if s == "" {
			return a, false
		}
		if n, err := strconv.Atoi(s); err != nil || n < 1 || n > ScalePoints {
			v.Add(f, "surveys.answer_invalid")
			return a, false
		}
		a.Value = s
	case QRanking, QMatrix:
		return q.parseRows(v, form)
	case QTextShort, QTextLong:
		s := CleanText(first(form, f))
		if s == "" {
			return a, false
		}
		if q.Kind == QTextShort {
			v.Line(f, s, false, q.MaxLength)
		} else {
			v.Text(f, s, false, q.MaxLength)
		}
		a.Value = s
	case QNumber:
		s := strings.ReplaceAll(first(form, f), " ", "")
		if s == "" {
			return a, false
		}
		n, err := strconv.ParseInt(s, 10, 64)
		switch {
		case err != nil || len(s) > 15:
			v.Add(f, "surveys.number_invalid")
		case q.NumMin != nil && n < *q.NumMin, q.NumMax != nil && n > *q.NumMax:
			v.Add(f, "surveys.number_out_of_range", "Min", fmtBound(q.NumMin, "…"), "Max", fmtBound(q.NumMax, "…"))
		}
		a.Value = strconv.FormatInt(n, 10)
	case QDate:
		s := first(form, f)
		if s == "" {
			return a, false
		}
		d, err := ParseDate(s)
		if err != nil || len(s) > 10 {
			v.Add(f, "surveys.date_invalid")
			return a, false
		}
		a.Value = d.In(Berlin).Format(time.DateOnly)
	case QOrtsteil:
		s := first(form, f)
		if s == "" {
			return a, false
		}
		if len(s) > 8 || chk.Ortsteil == nil || !chk.Ortsteil(s) {
			v.Add(f, "surveys.answer_invalid")
			return a, false
		}
		a.Value = s
	case QPoint:
		s := first(form, f)
		if s == "" {
			return a, false
		}
		la, lo, ok := strings.Cut(s, ",")
		lat, err1 := strconv.ParseFloat(strings.TrimSpace(la), 64)
		lon, err2 := strconv.ParseFloat(strings.TrimSpace(lo), 64)
		switch {
		case len(s) > 60 || !ok || err1 != nil || err2 != nil:
			v.Add(f, "surveys.point_invalid")
		case chk.InCity == nil || !chk.InCity(lat, lon):
			v.Add(f, "surveys.point_outside")
		}
		a.Value = strconv.FormatFloat(lat, 'f', 6, 64) + "," + strconv.FormatFloat(lon, 'f', 6, 64)
	}
	return a, !v.Has(f)
}

// parseRows reads a ranking (a rank per option, each rank once) or a
// matrix (a scale value per row). Field q<id>_<n> holds row n (1-based).
func (q *SurveyQuestion) parseRows(v *Validator, form map[string][]string) (SurveyAnswer, bool) {
	f := q.Field()
	var a SurveyAnswer
	limit := ScalePoints
	if q.Kind == QRanking {
		limit = len(q.Options)
	}
	var parts []string
	seen := map[int]bool{}
	filled := 0
	for i := range q.Options {
		s := first(form, f+"_"+strconv.Itoa(i+1))
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > limit || (q.Kind == QRanking && seen[n]) {
			v.Add(f, map[bool]string{true: "surveys.ranking_invalid", false: "surveys.answer_invalid"}[q.Kind == QRanking])
			return a, false
		}
		seen[n] = true
		filled++
		parts = append(parts, strconv.Itoa(i+1)+"="+s)
	}
	if filled == 0 {
		return a, false
	}
	if filled < len(q.Options) && (q.Kind == QRanking || q.Required) {
		v.Add(f, map[bool]string{true: "surveys.ranking_incomplete", false: "surveys.matrix_incomplete"}[q.Kind == QRanking])
		return a, false
	}
	if q.Kind == QRanking {
		order := make([]string, len(q.Options))
		for _, p := range parts {
			row, rank, _ := strings.Cut(p, "=")
			n, _ := strconv.Atoi(rank)
			order[n-1] = row
		}
		a.Value = strings.Join(order, ",")
		return a, true
	}
	a.Value = strings.Join(parts, ",")
	return a, true
}

func fmtBound(n *int64, none string) string {
	if n == nil {
		return none
	}
	return strconv.FormatInt(*n, 10)
}
