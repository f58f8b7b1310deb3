package i18n_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app/i18n"
	"github.com/mitwirken/mitwirken/views"
)

// TestCatalogsMatch: every message exists in German and in English.
func TestCatalogsMatch(t *testing.T) {
	b, err := i18n.Load(views.FS)
	if err != nil {
		t.Fatal(err)
	}
	de, en := b.IDs("de"), b.IDs("en")
	for id := range de {
		if !en[id] {
			t.Errorf("%q has no English translation", id)
		}
	}
	for id := range en {
		if !de[id] {
			t.Errorf("%q is English only", id)
		}
	}
}

var (
	templateID = regexp.MustCompile(`\bT "([a-z0-9_.]+)"`)
	fieldOpt   = regexp.MustCompile(`"(?:hint|empty)=([a-z0-9_.]+)"`)
	fieldLabel = regexp.MustCompile(`\(field [.$]\S* "[a-z_]+" "[a-z-]+" "([a-z0-9_.]+)"`)
	goID       = regexp.MustCompile(`"([a-z][a-z_]*\.[a-z0-9_.]+)"`)
	// goCall marks Go lines that pass message ids: domain errors, field
	// errors, translations and page titles.
	goCall = regexp.MustCompile(`\b(M|Errorf|FieldInvalid|Add|T|view|page|simple|formError|formPage|redirect)\(`)
)

// TestUsedMessagesExist finds message ids in templates and Go code and
// checks that the catalogs define them, so a typo cannot show a raw id.
func TestUsedMessagesExist(t *testing.T) {
	b, err := i18n.Load(views.FS)
	if err != nil {
		t.Fatal(err)
	}
	de := b.IDs("de")
	namespaces := map[string]bool{}
	for id := range de {
		namespaces[strings.SplitN(id, ".", 2)[0]] = true
	}
	missing := map[string][]string{}
	check := func(where, id string) {
		if !de[id] {
			missing[id] = append(missing[id], where)
		}
	}
	err = fs.WalkDir(views.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".txt")) {
			return err
		}
		src, err := fs.ReadFile(views.FS, p)
		if err != nil {
			return err
		}
		for _, re := range []*regexp.Regexp{templateID, fieldOpt, fieldLabel} {
			for _, m := range re.FindAllStringSubmatch(string(src), -1) {
				check(p, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join("..")
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, line := range strings.Split(string(src), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "//") || !goCall.MatchString(line) {
				continue
			}
			for _, m := range goID.FindAllStringSubmatch(line, -1) {
				if namespaces[strings.SplitN(m[1], ".", 2)[0]] && !strings.HasSuffix(m[1], ".") {
					check(p, m[1])
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for id := range missing {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		t.Errorf("message %q is used in %v but not defined", id, missing[id])
	}
}
