package web_test

import "strings"

// The search page (issue 15): results of every kind with marked snippets
// and "more" links, one kind with page links, the form with an error next
// to each field, and the empty form. Logged out: the search needs no
// account.
func init() {
	a11yPages = append(a11yPages,
		a11yPage{name: "search results", prepare: demoPath("/suche?q=Leipzig")},
		a11yPage{name: "search one kind", prepare: demoPath("/suche?q=Leipzig&art=paragraph")},
		a11yPage{name: "search errors", path: "/suche?q=" + strings.Repeat("x", 201) + "&von=gestern&art=foo"},
		a11yPage{name: "search empty", path: "/suche"},
	)
}
