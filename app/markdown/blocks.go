package markdown

import (
	"bytes"
	"html/template"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// Block kinds (the same strings as app.Block*).
const (
	KindParagraph = "paragraph"
	KindHeading   = "heading"
	KindListItem  = "list_item"
	KindTable     = "table"
	KindQuote     = "quote"
	KindCode      = "code"
)

// Block is one unit of a chapter that gets its own anchor: a paragraph, a
// heading, one item of a top-level list, a table, a quote or a code block.
type Block struct {
	Kind string
	// Text is the plain text, for quotes, matching across versions and the API.
	Text string
	// HTML is the sanitised rendering. A list item's HTML is the content of
	// its <li>; the caller writes the list around consecutive items of the
	// same ListGroup.
	HTML        template.HTML
	ListGroup   int
	ListOrdered bool
	ListStart   int
}

// Blocks splits Markdown into anchorable blocks by walking goldmark's AST.
// Headings move down one level (# becomes <h2>) because the page has its own
// <h1>. Raw HTML is dropped (goldmark's default) and every block goes through
// the sanitiser. Blocks without any text are left out.
func Blocks(src string) []Block {
	source := []byte(src)
	doc := md.Parser().Parse(text.NewReader(source))
	var out []Block
	group := 0
	add := func(kind string, n ast.Node, nodes ...ast.Node) *Block {
		txt := plainText(n, source)
		if txt == "" {
			return nil
		}
		out = append(out, Block{Kind: kind, Text: txt, HTML: render(source, nodes...)})
		return &out[len(out)-1]
	}
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		switch n.Kind() {
		case ast.KindList:
			group++
			l := n.(*ast.List)
			start := l.Start
			if start == 0 {
				start = 1
			}
			for item := l.FirstChild(); item != nil; item = item.NextSibling() {
				var children []ast.Node
				for c := item.FirstChild(); c != nil; c = c.NextSibling() {
					children = append(children, c)
				}
				if b := add(KindListItem, item, children...); b != nil {
					b.ListGroup, b.ListOrdered, b.ListStart = group, l.IsOrdered(), start
				}
			}
		case ast.KindHeading:
			h := n.(*ast.Heading)
			if h.Level < 6 {
				h.Level++
			}
			add(KindHeading, n, n)
		case ast.KindParagraph, ast.KindTextBlock:
			add(KindParagraph, n, n)
		case ast.KindBlockquote:
			add(KindQuote, n, n)
		case ast.KindFencedCodeBlock, ast.KindCodeBlock:
			add(KindCode, n, n)
		case east.KindTable:
			add(KindTable, n, n)
		}
	}
	return out
}

func render(source []byte, nodes ...ast.Node) template.HTML {
	var buf bytes.Buffer
	for _, n := range nodes {
		if err := md.Renderer().Render(&buf, source, n); err != nil {
			return template.HTML(template.HTMLEscapeString(plainText(n, source))) //nolint:gosec // escaped
		}
	}
	return template.HTML(strings.TrimSpace(policy.Sanitize(buf.String()))) //nolint:gosec // sanitised
}

// plainText collects the readable text of a node: words of inline content,
// code lines, table cells separated by " | " and rows by line breaks.
func plainText(n ast.Node, source []byte) string {
	var b strings.Builder
	collectText(&b, n, source)
	lines := strings.Split(b.String(), "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func collectText(b *strings.Builder, n ast.Node, source []byte) {
	switch t := n.(type) {
	case *ast.Text:
		b.Write(t.Segment.Value(source))
		switch {
		case t.HardLineBreak():
			b.WriteByte('\n')
		case t.SoftLineBreak():
			b.WriteByte(' ')
		}
		return
	case *ast.String:
		b.Write(t.Value)
		return
	case *ast.AutoLink:
		b.Write(t.Label(source))
		return
	case *ast.RawHTML, *ast.HTMLBlock:
		return
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			b.Write(seg.Value(source))
		}
		b.WriteByte('\n')
		return
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		collectText(b, c, source)
		switch c.Kind() {
		case east.KindTableCell:
			if c.NextSibling() != nil {
				b.WriteString(" | ")
			}
		case east.KindTableRow, east.KindTableHeader:
			b.WriteByte('\n')
		default:
			if c.Type() == ast.TypeBlock {
				b.WriteByte('\n')
			}
		}
	}
}
