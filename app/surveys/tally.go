package surveys

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/maypok86/otter/v2"

	"github.com/mitwirken/mitwirken/app/store"
)

// Tallies keeps the counted answers of results pages in memory (issue 15:
// the results of 50,000 responses in under 200 ms): per survey, version,
// cross-tab filter and questions, the counts per value and the number of
// texts per question, with the stamp of the survey's answers they were
// counted at (store.SurveyResultsStamp). A load reads the stamp from the
// database first and uses the tally only while the stamp is unchanged, so a
// response saved on any instance shows at the next load on every instance.
// The texts themselves and their moderation are read per load (paged), so
// hiding one shows at once. Bounded by the counted rows it holds (otter,
// like app/pagecache); nil caches nothing.
type Tallies struct {
	c                      *otter.Cache[string, *tally]
	hits, misses, caughtUp atomic.Int64
}

type tally struct {
	stamp  store.SurveyResultsStamp
	counts []store.SurveyValueCount
	// texts is the number of texts per question with texts.
	texts map[int64]int64
}

// NewTallies holds at most maxRows counted values (about 100 bytes each).
func NewTallies(maxRows int) (*Tallies, error) {
	c, err := otter.New(&otter.Options[string, *tally]{
		MaximumWeight: uint64(maxRows),
		Weigher: func(_ string, t *tally) uint32 {
			return uint32(min(1+len(t.counts)+len(t.texts), 1<<31))
		},
	})
	if err != nil {
		return nil, err
	}
	return &Tallies{c: c}, nil
}

// Stats are the hits and misses so far.
func (t *Tallies) Stats() (hits, misses int64) {
	if t == nil {
		return 0, 0
	}
	return t.hits.Load(), t.misses.Load()
}

// CaughtUp is how often cached counts were brought up to date by counting
// only the new responses.
func (t *Tallies) CaughtUp() int64 {
	if t == nil {
		return 0
	}
	return t.caughtUp.Load()
}

func tallyKey(surveyID int64, version int, f store.SurveyFilter, questions []int64) string {
	var b strings.Builder
	b.WriteString(strconv.FormatInt(surveyID, 10) + "/" + strconv.Itoa(version) + "/" +
		strconv.FormatInt(f.QuestionID, 10) + ":" + strconv.Itoa(f.Option) + "/")
	for _, id := range questions {
		b.WriteString(strconv.FormatInt(id, 10) + ",")
	}
	return b.String()
}

// get is the tally under key, whatever its stamp (nil: none).
func (t *Tallies) get(key string) *tally {
	if t == nil {
		return nil
	}
	v, _ := t.c.GetIfPresent(key)
	return v
}

func (t *Tallies) miss() {
	if t != nil {
		t.misses.Add(1)
	}
}

// plus is a new tally of t's counts with d's added; t, which other loads
// may be reading, is left as it is.
func (t *tally) plus(d *tally) *tally {
	type key struct {
		q int64
		v string
	}
	at := make(map[key]int, len(t.counts))
	out := &tally{counts: slices.Clone(t.counts), texts: maps.Clone(t.texts)}
	for i, c := range out.counts {
		at[key{c.QuestionID, c.Value}] = i
	}
	for _, c := range d.counts {
		if i, ok := at[key{c.QuestionID, c.Value}]; ok {
			out.counts[i].N += c.N
		} else {
			out.counts = append(out.counts, c)
		}
	}
	for q, n := range d.texts {
		out.texts[q] += n
	}
	return out
}

func (t *Tallies) put(key string, v *tally) {
	if t != nil {
		t.c.Set(key, v)
	}
}
