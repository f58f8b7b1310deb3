package web

import (
	"github.com/mitwirken/mitwirken/app/geo"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/i18n"
	"github.com/mitwirken/mitwirken/app/markdown"
	"github.com/mitwirken/mitwirken/app/store"
)

// berlin is the time zone of every date shown to people.
var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err) // time/tzdata is linked in by the platform package
	}
	return loc
}()

// Site is what every page knows about the installation.
type Site struct {
	Name      string
	Providers []ProviderButton
	// A11yEmail and A11yPhone reach the people who answer accessibility
	// feedback (statement per BITV 2.0 § 12).
	A11yEmail, A11yPhone string
	// MapTiles is the optional tile service of the JavaScript map and
	// TileHost its origin ("https://host"), named on the privacy page.
	MapTiles, TileHost string
}

// ProviderButton is an external login offered on the login page.
type ProviderButton struct {
	Slug  string
	Label string
}

// View is the data of every page template. Handlers put page-specific data
// in Data and, for forms, a Form.
type View struct {
	Lang   string
	User   *app.User
	CSRF   string
	Path   string
	Query  url.Values
	Title  string
	Flash  []string
	Form   *Form
	Data   any
	Site   *Site
	Ref    *store.RefData
	Status int
	// Method is the request's method: a form re-rendered after a failed
	// POST switches language by posting its input again (see Repost).
	Method string
	// Unread counts the viewer's unread notifications (header).
	Unread int64

	loc    *i18n.Localizer
	static *staticAssets
	geo    *geo.Atlas
	// follows loads what the viewer follows, once per page, on first use.
	follows func() map[string]bool
	// content and head are the page's own parts, rendered before the
	// layout that shows them (templates.render).
	content, head template.HTML
}

// PageContent is the page's own content inside the layout's <main>.
func (v *View) PageContent() template.HTML { return v.content }

// PageHead is what the page adds to the layout's <head>.
func (v *View) PageHead() template.HTML { return v.head }

// Following reports whether the viewer follows a target.
func (v *View) Following(kind string, id int64) bool {
	if v.follows == nil {
		return false
	}
	return v.follows()[followKey(kind, id)]
}

func followKey(kind string, id int64) string { return kind + ":" + strconv.FormatInt(id, 10) }

// followView is the data of the follow button partial.
type followView struct {
	V         *View
	Kind      string
	ID        int64
	Following bool
	// Button and Status name what is followed when a page has more than
	// one follow button (default: "Folgen", "Sie folgen diesem Inhalt …").
	Button, Status string
}

func followOf(v *View, kind string, id int64) followView {
	return followView{V: v, Kind: kind, ID: id, Following: v.Following(kind, id),
		Button: v.T("notify.follow"), Status: v.T("notify.following")}
}

// followFormatOf is the button for new dates of an event's format, next to
// the event's own follow button.
func followFormatOf(v *View, f app.EventFormat) followView {
	id := app.FormatFollowID(f)
	name := v.T(app.FormatLabelID(f))
	return followView{V: v, Kind: app.FollowFormat, ID: id, Following: v.Following(app.FollowFormat, id),
		Button: v.T("notify.follow_format", "Format", name), Status: v.T("notify.following_format", "Format", name)}
}

// T translates a message id: {{$.T "home.title"}} or {{$.T "x" "Count" 3}}.
func (v *View) T(id string, args ...any) string { return v.loc.T(id, args...) }

// Msg translates a domain message.
func (v *View) Msg(m app.Msg) string { return v.loc.Msg(m) }

// Static returns the content-hashed URL of a static file.
func (v *View) Static(p string) string { return v.static.URL(p) }

// LangURL is the current page in another language.
func (v *View) LangURL(lang string) string {
	q := url.Values{}
	for k, vals := range v.Query {
		if k != "lang" {
			q[k] = vals
		}
	}
	q.Set("lang", lang)
	return v.Path + "?" + q.Encode()
}

// Repost reports whether the language switcher must post the form's input
// again: the page is a form re-rendered after a failed POST, whose address
// has no GET page (a link would 404) and whose input a link would lose.
func (v *View) Repost() bool {
	return v.Method == http.MethodPost && v.Form != nil
}

// HiddenField is one submitted value the language switcher posts again.
type HiddenField struct{ Name, Value string }

// RepostFields are the submitted values of the form (never a password or
// the CSRF token, which newForm already left out), in a stable order.
func (v *View) RepostFields() []HiddenField {
	if v.Form == nil {
		return nil
	}
	names := make([]string, 0, len(v.Form.Values))
	for k := range v.Form.Values {
		if k != "lang" && k != "_csrf" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var out []HiddenField
	for _, k := range names {
		for _, val := range v.Form.Values[k] {
			out = append(out, HiddenField{Name: k, Value: val})
		}
	}
	return out
}

// Current reports whether the page is at or below prefix, for marking the
// navigation (aria-current).
func (v *View) Current(prefix string) bool {
	if prefix == "/" {
		return v.Path == "/"
	}
	return v.Path == prefix || strings.HasPrefix(v.Path, prefix+"/")
}

// Is reports whether the viewer holds at least the role.
func (v *View) Is(role string) bool { return v.User.Is(app.Role(role)) }

// Date formats a day in the viewer's language.
func (v *View) Date(t time.Time) string { return v.loc.Date(t) }

// DateTime formats a moment in Berlin time in the viewer's language.
func (v *View) DateTime(t time.Time) string { return v.loc.DateTime(t) }

// ISO formats a moment for <time datetime>.
func (v *View) ISO(t time.Time) string { return t.In(berlin).Format(time.RFC3339) }

// Markdown renders trusted-but-sanitised Markdown (content edited by admins).
func (v *View) Markdown(src string) template.HTML { return markdown.HTML(src) }

// UserName is the public name of an account: its pseudonym, or "gelöschtes
// Konto" after erasure.
func (v *View) UserName(u *app.User) string {
	if u == nil || u.Erased() || u.DisplayName == "" {
		return v.T("account.erased_name")
	}
	return u.DisplayName
}

// OrtsteilName names a locality by its official number.
func (v *View) OrtsteilName(code string) string {
	if v.Ref == nil {
		return code
	}
	if o, ok := v.Ref.Ortsteil(code); ok {
		return o.Name
	}
	return code
}

// OptGroup is a labelled group of options in a select.
type OptGroup struct {
	Label   string
	Options []Option
}

// Option is one choice of a select.
type Option struct {
	Value string
	Label string
}

// OrtsteilGroups lists the 63 Ortsteile grouped by Stadtbezirk for a select.
func (v *View) OrtsteilGroups() []OptGroup {
	if v.Ref == nil {
		return nil
	}
	var out []OptGroup
	for _, b := range v.Ref.Stadtbezirke {
		g := OptGroup{Label: b.Code + " " + b.Name}
		for _, o := range v.Ref.OrtsteileOf(b.Code) {
			g.Options = append(g.Options, Option{Value: o.Code, Label: o.Code + " " + o.Name})
		}
		out = append(out, g)
	}
	return out
}

// Value returns a submitted form value, for re-rendering a form.
func (v *View) Value(name string) string {
	if v.Form == nil {
		return ""
	}
	return v.Form.Values.Get(name)
}

// Error returns the translated error of a form field.
func (v *View) Error(name string) string {
	if v.Form == nil {
		return ""
	}
	return v.Form.Errors[name]
}

// PageTitle is the document title: page title and platform name.
func (v *View) PageTitle() string {
	if v.Title == "" {
		return v.Site.Name
	}
	return v.Title + " – " + v.Site.Name
}

func (s *Server) view(c echo.Context, title string, data any) *View {
	loc := localizer(c)
	v := &View{
		Lang: loc.Lang(), User: currentUser(c), CSRF: csrfToken(c), Path: c.Request().URL.Path,
		Query: c.Request().URL.Query(), Data: data, Site: s.site, Ref: s.ref,
		loc: loc, static: s.static, Flash: s.takeFlash(c), Method: c.Request().Method, geo: s.geo,
	}
	if title != "" {
		var args []any
		if ta, ok := data.(titleArgs); ok {
			args = ta.TitleArgs(loc.Lang())
		}
		v.Title = loc.T(title, args...)
	}
	if u := v.User; u != nil {
		ctx := c.Request().Context()
		if n, err := s.store.UnreadNotifications(ctx, u.ID); err == nil {
			v.Unread = n
		}
		var loaded map[string]bool
		v.follows = func() map[string]bool {
			if loaded == nil {
				loaded = map[string]bool{}
				list, err := s.store.FollowsOf(ctx, u.ID)
				if err != nil {
					s.log.Warn("load follows", "err", err)
				}
				for _, f := range list {
					loaded[followKey(f.TargetKind, f.TargetID)] = true
				}
			}
			return loaded
		}
	}
	return v
}

// langRepost is one entry of the language switcher on a re-rendered form.
type langRepost struct {
	V          *View
	Lang, Name string
}

// titleArgs is page data whose title names what the page is about ("Auslosung:
// Stadtteilforum Grünau"), so that page titles tell pages apart (WCAG 2.4.2).
type titleArgs interface{ TitleArgs(lang string) []any }
