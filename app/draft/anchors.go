// Package draft runs the draft for comment: chapters and their versions with
// stable paragraph anchors, the redline between versions, comments and the
// contribution pipeline (moderation, official answers, the Abwägung) with
// the mails that tell authors what became of their contribution.
package draft

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/markdown"
)

// SimilarityThreshold is how alike (Dice coefficient of their words) a
// changed block must be to its predecessor to keep the predecessor's anchor.
const SimilarityThreshold = 0.5

// Anchor formats anchor number n: "p-12".
func Anchor(n int) string { return "p-" + strconv.Itoa(n) }

// AssignAnchors gives the blocks of a chapter's new version their anchors.
// prev are the blocks of the version before (nil for the first version) and
// next is the first fresh anchor number of the chapter. It returns one anchor
// per block and the next fresh number.
//
// The matching works in three passes:
//  1. a diff of the sequences of block texts (Myers, through go-diff) pairs
//     the blocks that did not change and did not move;
//  2. blocks with exactly the same text that moved are paired;
//  3. changed blocks are paired with the most similar unpaired predecessor of
//     the same kind (Dice coefficient of their words ≥ SimilarityThreshold;
//     among equals the one at the nearer position).
//
// Blocks left over get fresh numbers, so an anchor is never reused for other
// text: a comment on a removed paragraph can never point at a new one.
func AssignAnchors(prev []app.DraftBlock, blocks []markdown.Block, next int) ([]string, int) {
	anchors := make([]string, len(blocks))
	if next < 1 {
		next = 1
	}
	prevUsed := make([]bool, len(prev))
	pair := func(i, j int) {
		prevUsed[i] = true
		anchors[j] = prev[i].Anchor
	}

	// Pass 1: unchanged blocks in order.
	enc := newEncoder()
	a := make([]rune, len(prev))
	for i, b := range prev {
		a[i] = enc.rune(blockKey(b.Kind, b.Text))
	}
	bb := make([]rune, len(blocks))
	for j, b := range blocks {
		bb[j] = enc.rune(blockKey(b.Kind, b.Text))
	}
	i, j := 0, 0
	for _, d := range diffmatchpatch.New().DiffMainRunes(a, bb, false) {
		n := len([]rune(d.Text))
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			for k := 0; k < n; k++ {
				pair(i+k, j+k)
			}
			i, j = i+n, j+n
		case diffmatchpatch.DiffDelete:
			i += n
		case diffmatchpatch.DiffInsert:
			j += n
		}
	}

	// Pass 2: unchanged blocks that moved.
	byKey := map[string][]int{}
	for i, b := range prev {
		if !prevUsed[i] {
			k := blockKey(b.Kind, b.Text)
			byKey[k] = append(byKey[k], i)
		}
	}
	for j, b := range blocks {
		if anchors[j] != "" {
			continue
		}
		k := blockKey(b.Kind, b.Text)
		if cands := byKey[k]; len(cands) > 0 {
			pair(cands[0], j)
			byKey[k] = cands[1:]
		}
	}

	// Pass 3: changed blocks, most similar first.
	type candidate struct {
		i, j  int
		score float64
	}
	var cands []candidate
	prevWords := make([]map[string]int, len(prev))
	for j, b := range blocks {
		if anchors[j] != "" {
			continue
		}
		words := wordBag(b.Text)
		for i, p := range prev {
			if prevUsed[i] || p.Kind != b.Kind {
				continue
			}
			if prevWords[i] == nil {
				prevWords[i] = wordBag(p.Text)
			}
			sim := dice(prevWords[i], words)
			if sim < SimilarityThreshold {
				continue
			}
			dist := math.Abs(float64(i)/float64(len(prev)) - float64(j)/float64(len(blocks)))
			cands = append(cands, candidate{i, j, sim - dist/100})
		}
	}
	sort.SliceStable(cands, func(x, y int) bool { return cands[x].score > cands[y].score })
	for _, c := range cands {
		if !prevUsed[c.i] && anchors[c.j] == "" {
			pair(c.i, c.j)
		}
	}

	for j := range anchors {
		if anchors[j] == "" {
			anchors[j] = Anchor(next)
			next++
		}
	}
	return anchors, next
}

func blockKey(kind, text string) string {
	return kind + "\x00" + strings.Join(strings.Fields(text), " ")
}

func wordBag(s string) map[string]int {
	m := map[string]int{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r == '-' || r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || r > 127)
	}) {
		m[w]++
	}
	return m
}

// dice is the Dice coefficient of two bags of words: 1 for the same words,
// 0 for none in common.
func dice(a, b map[string]int) float64 {
	var na, nb, common int
	for w, n := range a {
		na += n
		if m := b[w]; m > 0 {
			common += min(n, m)
		}
	}
	for _, n := range b {
		nb += n
	}
	if na+nb == 0 {
		return 1
	}
	return 2 * float64(common) / float64(na+nb)
}

// encoder maps tokens (block keys, words) to runes so that go-diff can diff
// sequences of them. Runes skip the surrogate range, which a Go string cannot
// hold.
type encoder struct {
	ids    map[string]rune
	tokens []string
}

func newEncoder() *encoder { return &encoder{ids: map[string]rune{}} }

func (e *encoder) rune(tok string) rune {
	if r, ok := e.ids[tok]; ok {
		return r
	}
	r := rune(0x100 + len(e.tokens))
	if r >= 0xD800 {
		r += 0x800
	}
	e.ids[tok] = r
	e.tokens = append(e.tokens, tok)
	return r
}

func (e *encoder) token(r rune) string {
	if r >= 0xE000 {
		r -= 0x800
	}
	return e.tokens[r-0x100]
}
