// Package search is the German text analysis behind the search across the
// platform (issue 15, docs/search.md): the spelling folding both databases
// apply to documents and queries, the terms the SQLite index stores, the
// query strings for PostgreSQL (tsquery) and SQLite (FTS5 MATCH), and the
// highlighted snippets. The store keeps the index and runs the queries.
//
// Both databases see the same words: PostgreSQL folds with the SQL function
// search_norm (migrations/1000_search.sql) and stems with its "german"
// configuration; SQLite gets the stems from Terms, computed in Go with the
// same Snowball German stemmer and the same stop word list.
package search

import (
	"strings"
	"unicode"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/german"
)

// qMark keeps "que" (Quelle, Quartier) from being folded to "qü".
const qMark = "\uE000"

// Fold writes German spellings one way, exactly like the SQL function
// search_norm: lower case, "é" as "e", "ß" as "ss", and the
// transliterations "ae", "oe", "ue" (not after "q") as umlauts. The Snowball
// stemmer then removes the umlauts, so "Straße"/"Strasse",
// "Größe"/"Groesse" and "Bäume"/"Baeume"/"Baum" meet.
func Fold(s string) string {
	s = strings.ToLower(s)
	s = strings.ReplaceAll(s, "é", "e")
	s = strings.ReplaceAll(s, "ß", "ss")
	s = strings.ReplaceAll(s, "que", "qu"+qMark+"e")
	s = strings.ReplaceAll(s, "ae", "ä")
	s = strings.ReplaceAll(s, "oe", "ö")
	s = strings.ReplaceAll(s, "ue", "ü")
	return strings.ReplaceAll(s, qMark, "")
}

var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(pgGermanStop) {
		m[w] = true
	}
	return m
}()

func isSep(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// Words are the folded words of a query without stop words, in order and
// without repeats: what the query looks for before stemming.
func Words(query string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(Fold(query), isSep) {
		if stopWords[w] || seen[w] {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	return out
}

// Stem is the Snowball German stem of a folded word.
func Stem(w string) string {
	env := snowballstem.NewEnv(w)
	german.Stem(env)
	return env.Current()
}

// Terms are the stems of a text, stop words dropped: what the SQLite index
// stores (space separated) and what a query is matched with.
func Terms(text string) []string {
	words := strings.FieldsFunc(Fold(text), isSep)
	out := make([]string, 0, len(words))
	env := snowballstem.NewEnv("")
	for _, w := range words {
		if stopWords[w] {
			continue
		}
		env.SetCurrent(w)
		german.Stem(env)
		if st := env.Current(); st != "" {
			out = append(out, st)
		}
	}
	return out
}

// IndexText is the text the SQLite index stores for a document.
func IndexText(text string) string { return strings.Join(Terms(text), " ") }

// Query is a parsed search query.
type Query struct {
	// Words are the folded words (PostgreSQL stems them itself).
	Words []string
	// Stems are their stems, in the same order.
	Stems []string
}

// MaxQueryLen is the longest query accepted, in characters.
const MaxQueryLen = 200

// maxWords bounds the words of one query.
const maxWords = 12

// Parse reads a query. A query of only stop words or punctuation is
// empty.
func Parse(q string) Query {
	var out Query
	seen := map[string]bool{}
	for _, w := range Words(q) {
		st := Stem(w)
		if st == "" || seen[st] {
			continue
		}
		seen[st] = true
		out.Words = append(out.Words, w)
		out.Stems = append(out.Stems, st)
		if len(out.Words) == maxWords {
			break
		}
	}
	return out
}

// Empty reports whether there is nothing to look for.
func (q Query) Empty() bool { return len(q.Words) == 0 }

// TSQuery is the query for to_tsquery('german', …): every word required.
// Words hold only letters and digits, so there is no syntax to escape.
func (q Query) TSQuery() string { return strings.Join(q.Words, " & ") }

// Match is the FTS5 MATCH expression: every stem required, each as a
// quoted string (stems hold only letters and digits).
func (q Query) Match() string {
	parts := make([]string, len(q.Stems))
	for i, s := range q.Stems {
		parts[i] = `"` + s + `"`
	}
	return strings.Join(parts, " ")
}
