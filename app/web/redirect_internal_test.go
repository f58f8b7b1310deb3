package web

import (
	"fmt"
	"net/url"
	"testing"
)

// TestSafeNextRefusesEveryOffSiteForm: only a same-origin relative path
// survives; every C0 control, DEL, whitespace, backslash, a second leading
// slash and their percent-encoded forms fall back to "/".
func TestSafeNextRefusesEveryOffSiteForm(t *testing.T) {
	bad := []string{
		"", "evil.example", "http://evil.example", "https://evil.example/", "javascript:alert(1)",
		"//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example", "\\/evil.example",
		"/%2F/evil.example", "/%2f%2fevil.example", "%2F%2Fevil.example", "/%5Cevil.example", "/%5cevil.example",
		"/%252F/evil.example", "/%255Cevil.example", "/%09/evil.example", "/%2509/evil.example",
		"/ /evil.example", " //evil.example", "/\u00a0/evil.example", "/\u3000/evil.example", "/\u2028/evil.example",
		"/\u0085/evil.example", "/profil\\..\\..", "/%E3%80%80/evil.example", "/profil%0d%0aSet-Cookie:x=1",
		"/\xff/evil.example", "https:/evil.example", "//user@evil.example", "/a/b%20c",
	}
	for c := 0; c < 0x20; c++ {
		bad = append(bad,
			fmt.Sprintf("/%c/evil.example", c), fmt.Sprintf("%c//evil.example", c), fmt.Sprintf("/%c", c),
			fmt.Sprintf("/%%%02X/evil.example", c), fmt.Sprintf("/%%%02x/evil.example", c), fmt.Sprintf("/profil%%%02X", c))
	}
	bad = append(bad, "/\x7f/evil.example", "/%7F/evil.example")
	for _, next := range bad {
		if got := safeNext(next); got != "/" {
			t.Errorf("safeNext(%q) = %q, want /", next, got)
		}
		// The same value arriving through a query string.
		if got := safeNext(mustQuery(t, "next="+url.QueryEscape(next))); got != "/" {
			t.Errorf("safeNext(query %q) = %q, want /", next, got)
		}
	}
	good := []string{"/", "/profil", "/entwurf/wohnen?abschnitt=2#k-3", "/veranstaltungen/stadtteilforum-gruenau", "/suche?q=M%C3%BChle", "/a@b.example:80"}
	for _, next := range good {
		if got := safeNext(next); got != next {
			t.Errorf("safeNext(%q) = %q, want it unchanged", next, got)
		}
	}
}

func mustQuery(t *testing.T, q string) string {
	v, err := url.ParseQuery(q)
	if err != nil {
		t.Fatal(err)
	}
	return v.Get("next")
}
