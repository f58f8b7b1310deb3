package markdown

import (
	"strings"
	"testing"
)

func TestBlocksSplitAndSanitise(t *testing.T) {
	src := "# Wohnen\n\nText mit **fett** und [Link](https://leipzig.de).\n\n" +
		"1. eins\n2. zwei\n\n- lose\n\n  mit zweitem Absatz\n- noch einer\n\n" +
		"| A | B |\n|---|---|\n| 1 | 2 |\n\n> Zitat\n\n```\na < b\n```\n\n---\n\n<div>roh</div>\n\n" +
		"[böse](javascript:alert(1)) <script>alert(1)</script> <img src=x onerror=alert(1)>"
	got := Blocks(src)
	want := []struct{ kind, text string }{
		{KindHeading, "Wohnen"},
		{KindParagraph, "Text mit fett und Link."},
		{KindListItem, "eins"},
		{KindListItem, "zwei"},
		{KindListItem, "lose\nmit zweitem Absatz"},
		{KindListItem, "noch einer"},
		{KindTable, "A | B\n1 | 2"},
		{KindQuote, "Zitat"},
		{KindCode, "a < b"},
		{KindParagraph, "böse alert(1)"},
	}
	if len(got) != len(want) {
		for _, b := range got {
			t.Logf("%s %q %s", b.Kind, b.Text, b.HTML)
		}
		t.Fatalf("%d blocks, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].Kind != w.kind || got[i].Text != w.text {
			t.Errorf("block %d: %s %q, want %s %q", i, got[i].Kind, got[i].Text, w.kind, w.text)
		}
	}
	if got[0].HTML != "<h2>Wohnen</h2>" {
		t.Errorf("heading is not moved down a level: %s", got[0].HTML)
	}
	if got[2].ListGroup != got[3].ListGroup || !got[2].ListOrdered || got[2].ListStart != 1 || got[4].ListGroup == got[2].ListGroup || got[4].ListOrdered {
		t.Errorf("list groups: %+v %+v %+v", got[2], got[3], got[4])
	}
	if !strings.Contains(string(got[1].HTML), `<a href="https://leipzig.de" rel="nofollow">Link</a>`) {
		t.Errorf("link: %s", got[1].HTML)
	}
	all := ""
	for _, b := range got {
		all += string(b.HTML)
	}
	for _, bad := range []string{"<script", "onerror", "javascript:", "<div", "<img"} {
		if strings.Contains(strings.ToLower(all), bad) {
			t.Errorf("sanitised HTML contains %q: %s", bad, all)
		}
	}
	if !strings.Contains(string(got[8].HTML), "a &lt; b") {
		t.Errorf("code is not escaped: %s", got[8].HTML)
	}
}

func TestPlainEscapesEverythingAndLinksAddresses(t *testing.T) {
	cases := []struct{ in, want string }{
		{"<b>fett</b> & \"zitiert\"", "&lt;b&gt;fett&lt;/b&gt; &amp; &#34;zitiert&#34;"},
		{"Zeile 1\nZeile 2", "Zeile 1\nZeile 2"},
		{"Siehe https://www.leipzig.de/insek.", `Siehe <a href="https://www.leipzig.de/insek" rel="nofollow ugc noopener">https://www.leipzig.de/insek</a>.`},
		{"(www.leipzig.de/a_(b))", `(<a href="https://www.leipzig.de/a_(b)" rel="nofollow ugc noopener">www.leipzig.de/a_(b)</a>)`},
		{`https://example.org/"onmouseover="x`, `<a href="https://example.org/" rel="nofollow ugc noopener">https://example.org/</a>&#34;onmouseover=&#34;x`},
		{"javascript:alert(1) data:text/html,x", "javascript:alert(1) data:text/html,x"},
		{"https://a.de/?q=<script>", `<a href="https://a.de/?q=" rel="nofollow ugc noopener">https://a.de/?q=</a>&lt;script&gt;`},
		{"Groß: HTTPS://A.DE und WWW.B.DE", `Groß: <a href="HTTPS://A.DE" rel="nofollow ugc noopener">HTTPS://A.DE</a> und <a href="https://WWW.B.DE" rel="nofollow ugc noopener">WWW.B.DE</a>`},
		{"www ohne Punkt, http ohne Doppelpunkt, ach", "www ohne Punkt, http ohne Doppelpunkt, ach"},
		{"http://x.de/a&b=1", `<a href="http://x.de/a&amp;b=1" rel="nofollow ugc noopener">http://x.de/a&amp;b=1</a>`},
	}
	for _, c := range cases {
		if got := string(Plain(c.in)); got != c.want {
			t.Errorf("Plain(%q)\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}
