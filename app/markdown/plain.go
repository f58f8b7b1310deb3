package markdown

import (
	"html"
	"html/template"
	"regexp"
	"strings"
)

// linkPattern finds web addresses in plain text: http(s):// or www.
var linkPattern = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>"'` + "`" + `]+`)

// LinkRel is the rel attribute of links in texts written by citizens.
const LinkRel = "nofollow ugc noopener"

// Plain renders a citizen's plain text safely: every character is escaped,
// line breaks stay (the element shows them with white-space: pre-line) and
// web addresses become links with rel="nofollow ugc noopener". Nothing else
// of the text is interpreted, so no markup can get through.
func Plain(s string) template.HTML {
	if !mayHoldLink(s) {
		// Most texts have no address; the scan is far cheaper than the
		// regular expression.
		return template.HTML(html.EscapeString(s)) //nolint:gosec // escaped
	}
	var b strings.Builder
	last := 0
	for _, m := range linkPattern.FindAllStringIndex(s, -1) {
		start, end := m[0], trimLinkEnd(s[m[0]:m[1]])+m[0]
		b.WriteString(html.EscapeString(s[last:start]))
		raw := s[start:end]
		href := raw
		if strings.HasPrefix(strings.ToLower(raw), "www.") {
			href = "https://" + raw
		}
		b.WriteString(`<a href="`)
		b.WriteString(html.EscapeString(href))
		b.WriteString(`" rel="` + LinkRel + `">`)
		b.WriteString(html.EscapeString(raw))
		b.WriteString(`</a>`)
		last = end
	}
	b.WriteString(html.EscapeString(s[last:]))
	return template.HTML(b.String()) //nolint:gosec // every part is escaped above
}

// mayHoldLink reports whether s contains "http" or "www." in any case,
// which every match of linkPattern does.
func mayHoldLink(s string) bool {
	for i := 0; i+4 <= len(s); i++ {
		switch s[i] | 0x20 {
		case 'h':
			if strings.EqualFold(s[i:i+4], "http") {
				return true
			}
		case 'w':
			if strings.EqualFold(s[i:i+4], "www.") {
				return true
			}
		}
	}
	return false
}

// trimLinkEnd drops punctuation that ends the sentence rather than the
// address; a closing bracket stays when the address opened one.
func trimLinkEnd(u string) int {
	end := len(u)
	for end > 0 {
		c := u[end-1]
		switch {
		case strings.IndexByte(".,;:!?'\"", c) >= 0:
			end--
		case c == ')' && strings.Count(u[:end], "(") < strings.Count(u[:end], ")"):
			end--
		case c == ']' && strings.Count(u[:end], "[") < strings.Count(u[:end], "]"):
			end--
		default:
			return end
		}
	}
	return end
}
