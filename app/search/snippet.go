package search

import (
	"html"
	"html/template"
	"strings"
	"unicode"
)

// SnippetLen is about how many characters a snippet shows.
const SnippetLen = 240

// markdownMarks are the Markdown characters a snippet leaves out (page
// bodies are Markdown).
var markdownMarks = strings.NewReplacer("**", "", "__", "", "##", "", "`", "", "\r", "")

// Snippet is the part of text around the first word that matches the
// query, escaped, with every matching word wrapped in <mark>. Matching is
// by stem, as in the index ("Bäumen" marks "Baum"). Escaping happens
// first, piece by piece; only the <mark> tags are added as HTML.
func Snippet(text string, q Query) template.HTML {
	text = strings.Join(strings.Fields(markdownMarks.Replace(text)), " ")
	rs := []rune(text)
	want := map[string]bool{}
	for _, s := range q.Stems {
		want[s] = true
	}
	type span struct{ from, to int }
	var marks []span
	for i := 0; i < len(rs); {
		if isSep(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && !isSep(rs[j]) {
			j++
		}
		if w := Fold(string(rs[i:j])); !stopWords[w] && want[Stem(w)] {
			marks = append(marks, span{i, j})
		}
		i = j
	}
	start := 0
	if len(marks) > 0 && marks[0].from > SnippetLen/3 {
		start = marks[0].from - SnippetLen/3
		for start < marks[0].from && !unicode.IsSpace(rs[start]) {
			start++
		}
	}
	end := min(len(rs), start+SnippetLen)
	if end < len(rs) {
		for end > start+SnippetLen/2 && !unicode.IsSpace(rs[end]) {
			end--
		}
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("… ")
	}
	pos := start
	for _, m := range marks {
		if m.from < start {
			continue
		}
		if m.to > end {
			break
		}
		b.WriteString(html.EscapeString(string(rs[pos:m.from])))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(string(rs[m.from:m.to])))
		b.WriteString("</mark>")
		pos = m.to
	}
	b.WriteString(html.EscapeString(strings.TrimRight(string(rs[pos:end]), " ")))
	if end < len(rs) {
		b.WriteString(" …")
	}
	return template.HTML(b.String())
}
