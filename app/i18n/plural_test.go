package i18n_test

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/mitwirken/mitwirken/views"
)

// countBeforeNoun is a count followed by a word: "{{.Count}} Plätze".
var countBeforeNoun = regexp.MustCompile(`\{\{\s*\.Count\s*\}\}\s+\p{L}`)

// TestCountsHavePluralForms: a message that puts a count before a word
// must have the forms "one" and "other", or the page says "1 Plätze" and
// "1 seats" (go-i18n picks the form by Count; a plain string serves all).
func TestCountsHavePluralForms(t *testing.T) {
	files, err := fs.Glob(views.FS, "locales/*.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		var catalog map[string]any
		if _, err := toml.DecodeFS(views.FS, f, &catalog); err != nil {
			t.Fatal(err)
		}
		var walk func(id string, v any)
		walk = func(id string, v any) {
			switch v := v.(type) {
			case string:
				if countBeforeNoun.MatchString(v) {
					t.Errorf("%s: %s puts a count before a noun without plural forms: %q", f, id, v)
				}
			case map[string]any:
				if _, plural := v["other"]; plural {
					if _, ok := v["one"]; !ok {
						t.Errorf("%s: %s has no form for one", f, id)
					}
					return
				}
				for k, sub := range v {
					walk(strings.TrimPrefix(id+"."+k, "."), sub)
				}
			}
		}
		walk("", catalog)
	}
}
