package surveys

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/export"
	"github.com/mitwirken/mitwirken/app/store"
)

// TextsPerPage is how many free-text (or "other") answers the results page
// lists per question; a link leads to the next ones, so every text can be
// read (and moderated) on the page, and the export has them all. Rendering
// 200 texts with a moderation form each was most of the page's time at
// 50,000 responses (docs/surveys.md#benchmark).
const TextsPerPage = 25

// TextsPage picks the page of texts of one question: those after the
// response After (0: the first page). Other questions show their first page.
type TextsPage struct {
	QuestionID int64
	After      int64
}

// Results are the figures of a survey, per question of the current version.
type Results struct {
	Questions []QuestionResult
	Filter    store.SurveyFilter
	// Responses is the number of finished responses.
	Responses int64
}

// QuestionResult is one question's chart (with its data table), how many
// answered it and, for free text and "other", the texts.
type QuestionResult struct {
	Q        app.SurveyQuestion
	Answered int
	Chart    *export.Chart
	Texts    []store.SurveyAnswerRow
	TextsN   int64
	// TextsAfter is the response the shown texts follow (0: from the first);
	// TextsNext the one the next page follows (0: no more texts).
	TextsAfter int64
	TextsNext  int64
	// Mean is the average of a number question ("" otherwise).
	Mean string
}

// Free reports whether q's answers are free text.
func Free(q *app.SurveyQuestion) bool { return q.Kind == app.QTextShort || q.Kind == app.QTextLong }

// hasTexts reports whether the results list texts of q.
func hasTexts(q *app.SurveyQuestion) bool { return Free(q) || q.Other }

// Results counts the answers (in the database, one grouped query, or from
// s.Tallies while the survey's answers are unchanged) and draws a chart per
// question; t translates the labels.
func (s *Service) Results(ctx context.Context, sv *app.Survey, f store.SurveyFilter, page TextsPage, t func(string, ...any) string, ortsteilName func(string) string) (*Results, error) {
	questions, err := s.Store.SurveyQuestions(ctx, sv.ID, sv.Version)
	if err != nil {
		return nil, err
	}
	tl, stamp, err := s.tally(ctx, sv, questions, f)
	if err != nil {
		return nil, err
	}
	byQ := map[int64][]store.SurveyValueCount{}
	for _, c := range tl.counts {
		byQ[c.QuestionID] = append(byQ[c.QuestionID], c)
	}
	res := &Results{Filter: f, Responses: stamp.Responses}
	for i := range questions {
		q := questions[i]
		qr := QuestionResult{Q: q}
		if hasTexts(&q) {
			if page.QuestionID == q.ID {
				qr.TextsAfter = page.After
			}
			qr.TextsN = tl.texts[q.ID]
			// One more than shown tells whether a next page exists.
			if qr.Texts, err = s.Store.SurveyTexts(ctx, q.ID, !Free(&q), f, qr.TextsAfter, TextsPerPage+1); err != nil {
				return nil, err
			}
			if len(qr.Texts) > TextsPerPage {
				qr.Texts = qr.Texts[:TextsPerPage]
				qr.TextsNext = qr.Texts[TextsPerPage-1].ResponseID
			}
		}
		if Free(&q) {
			qr.Answered = int(qr.TextsN)
		} else {
			qr.Chart, qr.Answered, qr.Mean = chartOf(&q, byQ[q.ID], t, ortsteilName)
		}
		res.Questions = append(res.Questions, qr)
	}
	return res, nil
}

// tally is the counted answers of the questions, from s.Tallies when the
// stamp of the survey's answers is the one they were counted at. Counts
// are taken up to the stamp's newest response, read before them. When
// the only change since a cached tally is new responses after its newest,
// their answers are counted and added (catchUp); else all are counted.
func (s *Service) tally(ctx context.Context, sv *app.Survey, questions []app.SurveyQuestion, f store.SurveyFilter) (*tally, store.SurveyResultsStamp, error) {
	stamp, err := s.Store.SurveyResultsStamp(ctx, sv.ID)
	if err != nil {
		return nil, stamp, err
	}
	ids := make([]int64, len(questions))
	for i := range questions {
		ids[i] = questions[i].ID
	}
	key := tallyKey(sv.ID, sv.Version, f, ids)
	cached := s.Tallies.get(key)
	if cached != nil && cached.stamp == stamp {
		s.Tallies.hits.Add(1)
		return cached, stamp, nil
	}
	var tl *tally
	if cached != nil {
		if tl, err = s.catchUp(ctx, sv, cached, stamp, questions, f); err != nil {
			return nil, stamp, err
		}
	}
	if tl == nil {
		s.Tallies.miss()
		bounded := f
		bounded.Through = stamp.LastResponse
		if tl, err = s.count(ctx, questions, bounded, stamp.Responses == 0); err != nil {
			return nil, stamp, err
		}
	}
	tl.stamp = stamp
	s.Tallies.put(key, tl)
	return tl, stamp, nil
}

// maxCatchUp is how many new responses are added to cached counts at most;
// beyond that one grouped count of all is about as fast.
const maxCatchUp = 2000

// catchUp adds the answers of the responses after old's newest to its
// counts, when those new responses are the only change since: as many
// saves as new finished responses, and all of them after old's newest.
// A changed, deleted or late-committed response (an id at or below old's
// newest) breaks one of these equalities, and nil (count all) is returned.
func (s *Service) catchUp(ctx context.Context, sv *app.Survey, old *tally, stamp store.SurveyResultsStamp, questions []app.SurveyQuestion, f store.SurveyFilter) (*tally, error) {
	added := stamp.Changes - old.stamp.Changes
	if added <= 0 || added > maxCatchUp || stamp.Responses-old.stamp.Responses != added {
		return nil, nil
	}
	ids, err := s.Store.SurveyResponsesBetween(ctx, sv.ID, old.stamp.LastResponse, stamp.LastResponse, maxCatchUp+1)
	if err != nil || int64(len(ids)) != added {
		return nil, err
	}
	f.Responses = ids
	delta, err := s.count(ctx, questions, f, false)
	if err != nil {
		return nil, err
	}
	s.Tallies.caughtUp.Add(1)
	return old.plus(delta), nil
}

// count counts the answers to the questions under f (nothing when empty).
func (s *Service) count(ctx context.Context, questions []app.SurveyQuestion, f store.SurveyFilter, empty bool) (*tally, error) {
	tl := &tally{texts: map[int64]int64{}}
	if empty {
		return tl, nil
	}
	var counted []int64
	onlyTotal := map[int64]bool{}
	var err error
	for i := range questions {
		q := &questions[i]
		if !Free(q) {
			counted = append(counted, q.ID)
		}
		// Dates and points are only counted, not drawn: one row each.
		onlyTotal[q.ID] = q.Kind == app.QDate || q.Kind == app.QPoint
		if hasTexts(q) {
			if tl.texts[q.ID], err = s.Store.SurveyTextsTotal(ctx, q.ID, !Free(q), f); err != nil {
				return nil, err
			}
		}
	}
	counts, err := s.Store.SurveyValueCounts(ctx, counted, f)
	if err != nil {
		return nil, err
	}
	totals := map[int64]int{}
	for _, c := range counts {
		if onlyTotal[c.QuestionID] {
			totals[c.QuestionID] += c.N
		} else {
			tl.counts = append(tl.counts, c)
		}
	}
	for id, n := range totals {
		tl.counts = append(tl.counts, store.SurveyValueCount{QuestionID: id, N: n})
	}
	return tl, nil
}

// pct is a share in whole percent, "–" of nothing.
func pct(n, of int) string {
	if of == 0 {
		return "–"
	}
	return strconv.Itoa((n*100+of/2)/of) + " %"
}

func chartOf(q *app.SurveyQuestion, counts []store.SurveyValueCount, t func(string, ...any) string, ortsteilName func(string) string) (*export.Chart, int, string) {
	answered := 0
	for _, c := range counts {
		answered += c.N
	}
	ch := &export.Chart{ID: "chart-q" + strconv.FormatInt(q.ID, 10), Title: q.Text,
		KeyLabel: t("surveys.col_answer"), ValueLabel: t("surveys.col_count")}
	bar := func(label string, lang string, n int) {
		ch.Bars = append(ch.Bars, export.Bar{Label: label, Lang: lang, Value: n, Display: fmt.Sprintf("%d (%s)", n, pct(n, answered))})
	}
	switch q.Kind {
	case app.QSingle, app.QMulti:
		per := map[string]int{}
		for _, c := range counts {
			for _, v := range strings.Split(c.Value, ",") {
				per[v] += c.N
			}
		}
		for i, o := range q.Options {
			bar(o, "de", per[strconv.Itoa(i+1)])
		}
		if q.Other {
			bar(t("surveys.other_label"), "", per["other"])
		}
	case app.QScale:
		per := map[string]int{}
		for _, c := range counts {
			per[c.Value] += c.N
		}
		for p := 1; p <= app.ScalePoints; p++ {
			label := strconv.Itoa(p)
			switch p {
			case 1:
				label += " – " + q.ScaleLow
			case app.ScalePoints:
				label += " – " + q.ScaleHigh
			}
			bar(label, "de", per[strconv.Itoa(p)])
		}
	case app.QRanking:
		// Points: the first rank of n options gets n points, the last 1.
		ch.ValueLabel = t("surveys.col_points")
		points := make([]int, len(q.Options))
		for _, c := range counts {
			for rank, row := range strings.Split(c.Value, ",") {
				if n, err := strconv.Atoi(row); err == nil && n >= 1 && n <= len(points) {
					points[n-1] += (len(points) - rank) * c.N
				}
			}
		}
		for i, o := range q.Options {
			ch.Bars = append(ch.Bars, export.Bar{Label: o, Lang: "de", Value: points[i]})
		}
	case app.QMatrix:
		// The average per row, drawn in tenths.
		ch.ValueLabel = t("surveys.col_mean")
		sum, num := make([]int, len(q.Options)), make([]int, len(q.Options))
		for _, c := range counts {
			for _, p := range strings.Split(c.Value, ",") {
				row, val, _ := strings.Cut(p, "=")
				r, err1 := strconv.Atoi(row)
				v, err2 := strconv.Atoi(val)
				if err1 == nil && err2 == nil && r >= 1 && r <= len(sum) {
					sum[r-1] += v * c.N
					num[r-1] += c.N
				}
			}
		}
		for i, o := range q.Options {
			tenths := 0
			if num[i] > 0 {
				tenths = (sum[i]*10 + num[i]/2) / num[i]
			}
			ch.Bars = append(ch.Bars, export.Bar{Label: o, Lang: "de", Value: tenths, Display: decimal(tenths)})
		}
	case app.QOrtsteil:
		sort.Slice(counts, func(i, j int) bool {
			return counts[i].N > counts[j].N || counts[i].N == counts[j].N && counts[i].Value < counts[j].Value
		})
		for _, c := range counts {
			bar(c.Value+" "+ortsteilName(c.Value), "de", c.N)
		}
	case app.QNumber:
		var sum int64
		for _, c := range counts {
			n, _ := strconv.ParseInt(c.Value, 10, 64)
			sum += n * int64(c.N)
		}
		mean := ""
		if answered > 0 {
			mean = decimal(int((sum*10 + int64(answered)/2) / int64(answered)))
		}
		return nil, answered, mean
	default: // date, point: counted, listed in the export
		return nil, answered, ""
	}
	ch.Layout()
	return ch, answered, ""
}

// decimal writes tenths the German way: 34 → "3,4".
func decimal(tenths int) string {
	sign := ""
	if tenths < 0 {
		sign, tenths = "-", -tenths
	}
	return sign + strconv.Itoa(tenths/10) + "," + strconv.Itoa(tenths%10)
}

// HideAnswer hides a free-text answer of sv from the results (a reason is
// required) or shows it again; field names the reason's form field.
func (s *Service) HideAnswer(ctx context.Context, actor *app.User, sv *app.Survey, responseID, questionID int64, hide bool, reason, field string) error {
	q, err := s.Store.SurveyQuestionByID(ctx, questionID)
	if err != nil {
		return err
	}
	if q.SurveyID != sv.ID {
		return app.NotFound()
	}
	if hide {
		var v app.Validator
		v.Line(field, reason, true, app.MaxHideReason)
		if err := v.Err(); err != nil {
			return err
		}
	} else {
		reason = ""
	}
	return s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.HideSurveyAnswer(ctx, responseID, questionID, hide, reason); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditSurveyAnswerHide, ObjectType: "survey_answer",
			ObjectID: strconv.FormatInt(responseID, 10) + ":" + strconv.FormatInt(questionID, 10)})
	})
}
