// Package similar finds contributions that ask for the same thing, to group
// duplicates and reuse reasoning in the Abwägung (docs/draft.md, "Similar
// contributions"). It is the method only: turning a German text into terms
// and LSH band keys, and scoring two term lists. The store keeps the terms
// and band keys of every contribution and finds the candidates of one with
// an indexed query; Rank orders them.
package similar

import (
	"cmp"
	"slices"
	"sort"
	"strings"
)

// Version identifies the method (analysis, thesaurus, bands). Stored
// fingerprints of another version are recomputed by the background index
// job; raise it with every change that alters Terms or band keys.
const Version = 1

// Threshold is the score from which a pair counts as a duplicate candidate
// ("mögliche Doppelung"). It was chosen on the tuning half of the labelled
// set in testdata/ and measured on the other half (quality_test.go).
const Threshold = 0.17

// MinScore is the smallest score worth showing as "similar" at all: below
// it, texts share hardly more than a word.
const MinScore = 0.05

// gramSize is the length of the character n-grams Score compares words by.
const gramSize = 4

// Fingerprint is what the store keeps of a text: its distinct terms
// (sorted) and its band keys.
type Fingerprint struct {
	Terms []string
	Bands []int64
}

// Analyze computes the fingerprint of a text. A text without terms (empty,
// or only stop words) has no band keys and is never a candidate.
func Analyze(text string) Fingerprint {
	terms := distinct(Terms(text))
	sig, ok := minHash(terms)
	fp := Fingerprint{Terms: terms}
	if ok {
		fp.Bands = bandKeys(sig)
	}
	return fp
}

func distinct(terms []string) []string {
	out := slices.Clone(terms)
	slices.Sort(out)
	return slices.Compact(out)
}

// JoinTerms and SplitTerms store terms as one space-separated text (terms
// never contain spaces).
func JoinTerms(terms []string) string { return strings.Join(terms, " ") }

// SplitTerms is the inverse of JoinTerms.
func SplitTerms(s string) []string { return strings.Fields(s) }

// Score is the similarity of two term lists, from 0 (nothing shared) to 1
// (the same terms): a weighted Jaccard similarity in which every distinct
// term weighs 1, spread over its character 4-grams. Whole shared words
// count fully, and parts of German compounds count in part ("Straßenbäume"
// and "Bäume", "Radverkehr" and "Radweg"), while a long place name weighs
// no more than a short word.
func Score(a, b []string) float64 { return gramWeights(a).score(gramWeights(b)) }

// weights are the gram weights of one text (see Score): one entry per
// distinct gram, by the gram's 64-bit hash, sorted by it, so that two texts
// are compared by one merge of two slices.
type weights []gramWeight

type gramWeight struct {
	hash   uint64
	weight float64
}

func (wa weights) score(wb weights) float64 {
	var shared, total float64
	i, j := 0, 0
	for i < len(wa) && j < len(wb) {
		switch a, b := wa[i], wb[j]; {
		case a.hash == b.hash:
			shared += min(a.weight, b.weight)
			total += max(a.weight, b.weight)
			i++
			j++
		case a.hash < b.hash:
			total += a.weight
			i++
		default:
			total += b.weight
			j++
		}
	}
	for ; i < len(wa); i++ {
		total += wa[i].weight
	}
	for ; j < len(wb); j++ {
		total += wb[j].weight
	}
	if total == 0 {
		return 0
	}
	return shared / total
}

func gramWeights(terms []string) weights {
	w := make(weights, 0, len(terms)*8)
	for _, t := range distinct(terms) {
		hashes := grams(t)
		for _, h := range hashes {
			w = append(w, gramWeight{h, 1 / float64(len(hashes))})
		}
	}
	slices.SortFunc(w, func(a, b gramWeight) int { return cmp.Compare(a.hash, b.hash) })
	out := w[:0]
	for _, g := range w {
		if n := len(out); n > 0 && out[n-1].hash == g.hash {
			out[n-1].weight += g.weight
		} else {
			out = append(out, g)
		}
	}
	return out
}

// grams are the hashes of the character n-grams of a term with its
// boundaries marked ("_baum_" gives "_bau", "baum", "aum_"); a short term
// is one gram.
func grams(term string) []uint64 {
	r := []rune("_" + term + "_")
	if len(r) <= gramSize {
		return []uint64{runeHash(r)}
	}
	out := make([]uint64, 0, len(r)-gramSize+1)
	for i := 0; i+gramSize <= len(r); i++ {
		out = append(out, runeHash(r[i:i+gramSize]))
	}
	return out
}

// runeHash is 64-bit FNV-1a over the runes.
func runeHash(rs []rune) uint64 {
	h := uint64(14695981039346656037)
	for _, r := range rs {
		h ^= uint64(r)
		h *= 1099511628211
	}
	return h
}

// Match is one ranked candidate.
type Match struct {
	ID    int64
	Score float64
}

// Likely reports whether the match counts as a duplicate candidate.
func (m Match) Likely() bool { return m.Score >= Threshold }

// Rank scores the candidates (id → terms) against the query's terms and
// returns the best n with at least MinScore, best first (ties by id, newest
// first, so the order is stable).
func Rank(query []string, candidates map[int64][]string, n int) []Match {
	out := make([]Match, 0, len(candidates))
	wq := gramWeights(query)
	for id, terms := range candidates {
		if s := wq.score(gramWeights(terms)); s >= MinScore {
			out = append(out, Match{ID: id, Score: s})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].ID > out[j].ID
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}
