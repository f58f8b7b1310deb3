package similar

import (
	"strings"
	"unicode"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/german"
	"golang.org/x/text/unicode/norm"
)

// Terms turns a German text into the stems that describe it, in the order
// they occur: NFC, lower case, "ß" as "ss" and "ae/oe/ue" as umlauts (so
// "Strasse" and "Straße", "Baeume" and "Bäume" become one word), words split
// at everything that is not a letter or digit, stop words dropped, and each
// word stemmed with the Snowball German stemmer (which also removes the
// umlauts: "Bäume" and "Baum" both become "baum").
func Terms(text string) []string {
	out := stems(text)
	for i, t := range out {
		if c, ok := synonyms[t]; ok {
			out[i] = c
		}
	}
	return out
}

func stems(text string) []string {
	text = norm.NFC.String(strings.ToLower(text))
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	env := snowballstem.NewEnv("")
	out := make([]string, 0, len(words))
	for _, w := range words {
		w = foldSpelling(w)
		if stopWords[w] || (len(w) < 2 && !isDigits(w)) {
			continue
		}
		env.SetCurrent(w)
		german.Stem(env)
		if stem := env.Current(); stem != "" && !stopWords[stem] {
			out = append(out, stem)
		}
	}
	return out
}

// foldSpelling writes the German special letters one way: "ß" as "ss",
// and the transliterations "ae", "oe", "ue" as umlauts (not "ue" after "q",
// as in "Quelle"), like the Snowball "german2" variant does.
func foldSpelling(w string) string {
	if !strings.ContainsAny(w, "ßeé") {
		return w
	}
	var b strings.Builder
	rs := []rune(w)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == 'ß':
			b.WriteString("ss")
			continue
		case r == 'é':
			r = 'e'
		}
		if i+1 < len(rs) && rs[i+1] == 'e' {
			switch {
			case r == 'a':
				b.WriteRune('ä')
				i++
				continue
			case r == 'o':
				b.WriteRune('ö')
				i++
				continue
			case r == 'u' && (i == 0 || rs[i-1] != 'q'):
				b.WriteRune('ü')
				i++
				continue
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isDigits(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return w != ""
}
