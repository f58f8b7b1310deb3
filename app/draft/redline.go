package draft

import (
	"regexp"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/mitwirken/mitwirken/app"
)

// Changes of a block between two versions.
const (
	ChangeSame    = "same"
	ChangeChanged = "changed"
	ChangeAdded   = "added"
	ChangeRemoved = "removed"
)

// Operations of a part of a redline block.
const (
	OpEqual  = "equal"
	OpInsert = "insert"
	OpDelete = "delete"
)

// RedlinePart is a run of words that is unchanged, inserted or deleted.
type RedlinePart struct {
	Op   string
	Text string
}

// RedlineBlock is one block of the comparison of two versions.
type RedlineBlock struct {
	Anchor string
	Kind   string
	Change string
	Parts  []RedlinePart
}

// Redline compares two versions of a chapter block by block: blocks with the
// same anchor are compared word by word, blocks only in the newer version are
// added and blocks only in the older one removed (shown where they stood).
func Redline(older, newer []app.DraftBlock) []RedlineBlock {
	inNewer := map[string]bool{}
	for _, b := range newer {
		inNewer[b.Anchor] = true
	}
	oldByAnchor := map[string]app.DraftBlock{}
	for _, b := range older {
		oldByAnchor[b.Anchor] = b
	}
	var out []RedlineBlock
	i := 0
	flush := func(upTo int) {
		for ; i < len(older) && older[i].Position <= upTo; i++ {
			if !inNewer[older[i].Anchor] {
				out = append(out, RedlineBlock{Anchor: older[i].Anchor, Kind: older[i].Kind, Change: ChangeRemoved,
					Parts: []RedlinePart{{Op: OpDelete, Text: older[i].Text}}})
			}
		}
	}
	// nextOld[j] is the old position of the first block from j on that the
	// older version has too: removed blocks before it are shown before the
	// blocks added in the same gap (deletion before insertion).
	const end = int(^uint(0) >> 1)
	nextOld := make([]int, len(newer)+1)
	nextOld[len(newer)] = end
	for j := len(newer) - 1; j >= 0; j-- {
		nextOld[j] = nextOld[j+1]
		if ob, ok := oldByAnchor[newer[j].Anchor]; ok {
			nextOld[j] = ob.Position
		}
	}
	for j, nb := range newer {
		ob, ok := oldByAnchor[nb.Anchor]
		if !ok {
			flush(nextOld[j] - 1)
			out = append(out, RedlineBlock{Anchor: nb.Anchor, Kind: nb.Kind, Change: ChangeAdded,
				Parts: []RedlinePart{{Op: OpInsert, Text: nb.Text}}})
			continue
		}
		flush(ob.Position)
		rb := RedlineBlock{Anchor: nb.Anchor, Kind: nb.Kind, Change: ChangeSame, Parts: WordDiff(ob.Text, nb.Text)}
		for _, p := range rb.Parts {
			if p.Op != OpEqual {
				rb.Change = ChangeChanged
				break
			}
		}
		out = append(out, rb)
	}
	flush(end)
	return out
}

var wordToken = regexp.MustCompile(`\s+|[^\s]+`)

// WordDiff compares two texts word by word (white space counts as a word, so
// the text can be put together again from the parts).
func WordDiff(a, b string) []RedlinePart {
	if a == b {
		return []RedlinePart{{Op: OpEqual, Text: a}}
	}
	enc := newEncoder()
	encode := func(s string) []rune {
		toks := wordToken.FindAllString(s, -1)
		out := make([]rune, len(toks))
		for i, t := range toks {
			out[i] = enc.rune(t)
		}
		return out
	}
	dmp := diffmatchpatch.New()
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMainRunes(encode(a), encode(b), false))
	var parts []RedlinePart
	for _, d := range diffs {
		var sb strings.Builder
		for _, r := range d.Text {
			sb.WriteString(enc.token(r))
		}
		op := OpEqual
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			op = OpInsert
		case diffmatchpatch.DiffDelete:
			op = OpDelete
		}
		if n := len(parts); n > 0 && parts[n-1].Op == op {
			parts[n-1].Text += sb.String()
			continue
		}
		parts = append(parts, RedlinePart{Op: op, Text: sb.String()})
	}
	return tidySpaces(parts)
}

// tidySpaces moves white space at the edges of insertions and deletions into
// the neighbouring unchanged text, so that only words are marked (the shown
// text may then hold a doubled space, which HTML collapses).
func tidySpaces(parts []RedlinePart) []RedlinePart {
	var out []RedlinePart
	emit := func(op, text string) {
		if text == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += text
			return
		}
		out = append(out, RedlinePart{Op: op, Text: text})
	}
	for _, p := range parts {
		if p.Op == OpEqual {
			emit(OpEqual, p.Text)
			continue
		}
		core := strings.TrimSpace(p.Text)
		if core == "" {
			if p.Op == OpInsert {
				emit(OpEqual, p.Text)
			}
			continue
		}
		start := strings.Index(p.Text, core)
		emit(OpEqual, p.Text[:start])
		emit(p.Op, core)
		emit(OpEqual, p.Text[start+len(core):])
	}
	return out
}
