package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/draft"
	"github.com/mitwirken/mitwirken/app/markdown"
	"github.com/mitwirken/mitwirken/app/store"
)

// renderTitled renders a page whose title is not a catalog id (a chapter
// title). With err it re-renders a form like formError: the submitted values,
// the message next to each field and the matching status.
//
// defaults fill fields the submitted form did not carry (other forms on the
// same page keep their prefilled values).
func (s *Server) renderTitled(c echo.Context, page, title string, data any, err error, defaults ...url.Values) error {
	v := s.view(c, "", data)
	v.Title = title
	status := http.StatusOK
	if err != nil {
		e, ok := app.AsError(err)
		if !ok {
			return err
		}
		switch e.Code {
		case app.CodeInvalid, app.CodeConflict, app.CodeTooMany, app.CodeGone:
		default:
			return err
		}
		values, _ := c.FormParams()
		v.Form = newForm(values, e, localizer(c))
		for _, d := range defaults {
			for k, vals := range d {
				if _, ok := v.Form.Values[k]; !ok {
					v.Form.Values[k] = vals
				}
			}
		}
		status = e.Code.HTTPStatus()
		if e.RetryAfter > 0 {
			c.Response().Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds()+0.999)))
		}
	}
	return s.render(c, status, page, v)
}

// Plain renders a citizen's text: escaped, line breaks kept, addresses linked.
func (v *View) Plain(s string) template.HTML { return markdown.Plain(s) }

// SafeBlock is the stored, sanitised HTML of a chapter block.
func (v *View) SafeBlock(b *draft.BlockView) template.HTML {
	return template.HTML(b.HTML) //nolint:gosec // sanitised by app/markdown when the version was saved
}

// TagName names a Handlungsschwerpunkt or theme code in the viewer's language.
func (v *View) TagName(code string) string {
	if v.Ref == nil {
		return code
	}
	for _, h := range v.Ref.Handlungsschwerpunkte {
		if h.Code == code {
			return h.Name(v.Lang)
		}
	}
	for _, t := range v.Ref.Themes {
		if t.Code == code {
			return t.Name(v.Lang)
		}
	}
	return code
}

// TagGroup is a labelled group of tag checkboxes.
type TagGroup struct {
	Label   string
	Options []Option
}

// TagGroups lists the Handlungsschwerpunkte by Zielfeld, then the themes.
func (v *View) TagGroups() []TagGroup {
	if v.Ref == nil {
		return nil
	}
	var out []TagGroup
	for _, z := range v.Ref.Zielfelder {
		g := TagGroup{Label: z.Name(v.Lang)}
		for _, h := range v.Ref.Handlungsschwerpunkte {
			if h.ZielfeldCode == z.Code {
				g.Options = append(g.Options, Option{Value: h.Code, Label: h.Name(v.Lang)})
			}
		}
		out = append(out, g)
	}
	g := TagGroup{Label: v.T("draft.themes")}
	for _, t := range v.Ref.Themes {
		g.Options = append(g.Options, Option{Value: t.Code, Label: t.Name(v.Lang)})
	}
	return append(out, g)
}

// Checked reports whether a multi-valued form field holds value.
func (v *View) Checked(name, value string) bool {
	if v.Form == nil {
		return false
	}
	for _, x := range v.Form.Values[name] {
		if x == value {
			return true
		}
	}
	return false
}

// AnyChecked reports whether a multi-valued field or a single field has a value.
func (v *View) AnyChecked(names ...string) bool {
	if v.Form == nil {
		return false
	}
	for _, n := range names {
		for _, x := range v.Form.Values[n] {
			if x != "" {
				return true
			}
		}
		if v.Form.Errors[n] != "" {
			return true
		}
	}
	return false
}

// Excerpt shortens a text to about n characters at a word boundary.
func (v *View) Excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	if i := strings.LastIndexByte(string(r), ' '); i > n/2 {
		return string(r)[:i] + " …"
	}
	return string(r) + " …"
}

// ParagraphOptions lists the blocks of a chapter for the paragraph chooser.
func (v *View) ParagraphOptions(blocks []*draft.BlockView) []Option {
	out := make([]Option, 0, len(blocks))
	for _, b := range blocks {
		out = append(out, Option{Value: b.Anchor, Label: v.T("draft.paragraph_option", "Number", b.Number(), "Text", v.Excerpt(b.Text, 70))})
	}
	return out
}

// AnchorNumber is "12" for "p-12".
func (v *View) AnchorNumber(anchor string) string { return draft.AnchorNumber(anchor) }

// Number formats a contribution number: "A-0042".
func (v *View) Number(n int64) string { return app.FormatContributionNumber(n) }

// ChannelName names a channel ("Werkstattgespräch").
func (v *View) ChannelName(ch string) string { return v.T("contribution.channel." + ch) }

// ReasonName names a reason code.
func (v *View) ReasonName(code string) string {
	if code == "" {
		return ""
	}
	return v.T("contribution.reason." + code)
}

// AssessmentName names an assessment status.
func (v *View) AssessmentName(code string) string {
	if code == "" {
		return v.T("contribution.assessment_none")
	}
	return v.T("contribution.assessment." + code)
}

// StatusName names a moderation status.
func (v *View) StatusName(code string) string { return v.T("contribution.status." + code) }

// Reasons are the reason codes with their names, for selects.
func (v *View) Reasons() []Option {
	out := make([]Option, len(app.Reasons))
	for i, r := range app.Reasons {
		out[i] = Option{Value: r, Label: v.ReasonName(r)}
	}
	return out
}

// AssessmentOptions are the assessment statuses for selects.
func (v *View) AssessmentOptions() []Option {
	out := make([]Option, len(app.AssessmentStatuses))
	for i, st := range app.AssessmentStatuses {
		out[i] = Option{Value: st, Label: v.AssessmentName(st)}
	}
	return out
}

// ContributionAuthor is the public name of a contribution's author: the
// pseudonym, "gelöschtes Konto", or the label of transcribed input.
func (v *View) ContributionAuthor(c *store.ContributionView) string {
	if c.AuthorID == nil {
		if c.AuthorLabel != "" {
			return c.AuthorLabel
		}
		return v.ChannelName(c.Channel)
	}
	return v.UserName(c.Author())
}

// ContributionAuthorLang is the lang of ContributionAuthor: an author label
// typed in at transcription ("Stadtgebietsforum Ost") is content, a user's
// name or a translated channel name is not marked.
func (v *View) ContributionAuthorLang(c *store.ContributionView) string {
	if c.AuthorID == nil && c.AuthorLabel != "" {
		return contentLang
	}
	return ""
}

// commentCtx is what the comment partial renders: one comment in a list.
// The flags and labels are computed once per comment and once per list, so
// that a page of hundreds of comments needs few reflective calls in the
// template.
type commentCtx struct {
	V    *View
	C    *draft.Comment
	L    *commentLabels
	Slug string
	Open bool
	Back string
	// PageID is the contribution whose own page this is (no link to itself).
	PageID int64
	// Each comment is headed by its author line; the levels follow the page's
	// outline: below the h2 of a list (h3), or right below the h1 on the
	// comment's own page, replies one level deeper.
	headBase, headDepth int
	Level               int
	// H2, H3, H4: the heading element of Level (else h5), as fields so that
	// the template needs no eq call per comment.
	H2, H3, H4 bool
	// Transcribed names the channel of transcribed input ("" for online).
	Transcribed string
	// Replies are prepared like the comment itself.
	Replies []commentCtx
	// Flags of C for the viewer.
	Number     string
	OnPage     bool
	CanSupport bool
	CanReply   bool
	CanReport  bool
	CanEdit    bool
	Supports   string
	// Texts of C, prepared in Go rather than by calls from the template.
	Author    string
	Date, ISO string
	Paragraph string
	Body      template.HTML
	Tags      []string
	Place     string
	// State of C as booleans (no eq/not calls in the template).
	Hidden, Withdrawn, Pending, Rejected, Published, ShowRef, ShowReply bool
}

// commentLabels are the texts every comment of a list shows.
type commentLabels struct {
	Contribution, Paragraph, Edited, Support, Reply, Report, Edit, Actions, Tags string
	supportsOne, supportsOther                                                   string
}

func newCommentLabels(v *View) *commentLabels {
	return &commentLabels{
		Contribution: v.T("draft.contribution_title", "Number", ""), Paragraph: v.T("draft.paragraph"),
		Edited: v.T("draft.edited_mark"), Support: v.T("draft.support"), Reply: v.T("draft.reply"),
		Report: v.T("draft.report"), Edit: v.T("draft.edit"), Actions: v.T("draft.actions_label"), Tags: v.T("draft.tags_label"),
		supportsOne: v.T("draft.supports", "Count", 1), supportsOther: v.T("draft.supports", "Count", pluralProbe),
	}
}

// pluralProbe stands for the number in a plural text translated once and
// filled in per comment (German and English have one plural form besides 1).
const pluralProbe = 987654321

func (l *commentLabels) supports(n int) string {
	if n == 1 {
		return l.supportsOne
	}
	return strings.Replace(l.supportsOther, strconv.Itoa(pluralProbe), strconv.Itoa(n), 1)
}

// CommentList starts the rendering of a list of comments.
func (v *View) CommentList(slug string, open bool, back string) commentCtx {
	return commentCtx{V: v, L: newCommentLabels(v), Slug: slug, Open: open, Back: back, headBase: 3}
}

// CommentCtx starts the rendering of one comment (and its replies).
func (v *View) CommentCtx(c *draft.Comment, slug string, open bool, back string) commentCtx {
	return v.CommentList(slug, open, back).With(c)
}

// Threads prepares the top-level comments of a list with all their replies
// in one call from the template (no call per comment).
func (c commentCtx) Threads(list []*draft.Comment) []commentCtx {
	out := make([]commentCtx, len(list))
	for i, x := range list {
		out[i] = c.With(x)
	}
	return out
}

// With prepares another comment of the same list, with its replies.
func (c commentCtx) With(x *draft.Comment) commentCtx {
	c.C = x
	u := c.V.User
	own := x.IsAuthor(u)
	published := x.Status == app.StatusPublished
	c.Number = x.PublicNumber()
	c.Level = min(max(c.headBase+x.Depth-c.headDepth, 2), 6)
	c.OnPage = c.PageID != 0 && x.ID == c.PageID
	c.CanSupport = c.Open && u.Verified() && published && !own
	c.CanReply = c.Open && published && x.Depth < app.MaxReplyDepth
	c.CanReport = u != nil && published && !own
	c.CanEdit = c.Open && draft.CanEdit(&x.Contribution, u)
	c.Supports = c.L.supports(x.SupportCount)
	c.Author = c.V.ContributionAuthor(x.ContributionView)
	c.Date, c.ISO = c.V.DateTime(x.CreatedAt), c.V.ISO(x.CreatedAt)
	c.Paragraph = x.ParagraphNumber()
	c.Body = markdown.Plain(x.Body)
	c.Tags = make([]string, len(x.Tags))
	for i, t := range x.Tags {
		c.Tags[i] = c.V.TagName(t)
	}
	c.Hidden, c.Withdrawn, c.Published = x.Status == app.StatusHidden, x.Status == app.StatusWithdrawn, published
	c.Pending, c.Rejected = x.Status == app.StatusPending, x.Status == app.StatusRejected
	c.ShowRef = x.Paragraph != "" && x.Depth == 0
	c.ShowReply = c.CanReply && !c.OnPage
	c.Place = ""
	if code := x.Ortsteil(); code != "" {
		c.Place = c.V.OrtsteilName(code)
	}
	if x.PlaceText != "" && !c.Hidden && !c.Withdrawn {
		c.Place = strings.TrimPrefix(c.Place+" – "+x.PlaceText, " – ")
	}
	c.H2, c.H3, c.H4 = c.Level == 2, c.Level == 3, c.Level == 4
	c.Transcribed = ""
	if x.Channel != app.ChannelOnline {
		c.Transcribed = c.V.T("draft.author_transcribed", "Channel", c.V.ChannelName(x.Channel))
	}
	c.Replies = nil
	if len(x.Replies) > 0 {
		c.Replies = make([]commentCtx, len(x.Replies))
		for i, r := range x.Replies {
			c.Replies[i] = c.With(r)
		}
	}
	return c
}

// AsPage marks the comment as the one whose page is shown.
func (c commentCtx) AsPage() commentCtx {
	c.PageID = c.C.ID
	c.headBase, c.headDepth = 2, c.C.Depth
	return c.With(c.C)
}

// sub passes the view and one value to a partial: {{template "x" ($.Sub .Data.Y)}}.
type sub struct {
	V *View
	D any
}

// Sub bundles the view with data for a partial.
func (v *View) Sub(d any) sub { return sub{V: v, D: d} }

// commentFormCtx is what the comment form partial renders.
type commentFormCtx struct {
	V    *View
	Page *draft.ChapterPage
	// Fixed: the form comments on Page.Block (the paragraph form page).
	Fixed bool
}

// CommentForm starts the comment form of a chapter page.
func (v *View) CommentForm(p *draft.ChapterPage, fixed bool) commentFormCtx {
	return commentFormCtx{V: v, Page: p, Fixed: fixed}
}

// blockCtx is what the tools beside a paragraph render.
type blockCtx struct {
	V    *View
	B    *draft.BlockView
	Slug string
	Open bool
}

// BlockTools starts the tools beside a paragraph.
func (v *View) BlockTools(b *draft.BlockView, slug string, open bool) blockCtx {
	return blockCtx{V: v, B: b, Slug: slug, Open: open}
}

// ChannelOptions names channels for a select.
func (v *View) ChannelOptions(chs []string) []Option {
	out := make([]Option, len(chs))
	for i, ch := range chs {
		out[i] = Option{Value: ch, Label: v.ChannelName(ch)}
	}
	return out
}

// ModerationOptions are the moderation modes of a document.
func (v *View) ModerationOptions() []Option {
	return []Option{{Value: app.ModerationPre, Label: v.T("draft_admin.moderation_pre")}, {Value: app.ModerationPost, Label: v.T("draft_admin.moderation_post")}}
}

// IDString formats an id for comparing with form values.
func (v *View) IDString(id int64) string { return strconv.FormatInt(id, 10) }
