package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// mix is how the sessions behave; the flags set it.
type mix struct {
	readers, citizens int
	readerThink       time.Duration // mean pause between two pages of a reader
	citizenThink      time.Duration // mean pause between two actions of a citizen
	actionsPerLogin   int           // actions between logging in and out
	exportEvery       time.Duration
	// weights of a citizen's actions
	wRead, wComment, wSupport, wEvent, wBoard int
}

// reader is an anonymous visitor browsing the public pages.
func reader(ctx context.Context, s *session, f *fixture, think time.Duration) {
	for s.think(ctx, think) {
		kind, path := publicPage(s, f)
		s.get(ctx, kind, path)
	}
}

// publicPage picks a page a visitor opens: the kind is the route, so that
// the report groups the pages by type.
func publicPage(s *session, f *fixture) (kind, path string) {
	switch s.rnd.IntN(10) {
	case 0:
		return "GET /", "/"
	case 1:
		return "GET /entwurf", "/entwurf"
	case 2, 3:
		return "GET /entwurf/:slug", "/entwurf/" + pick(s.rnd, f.chapters)
	case 4:
		return "GET /veranstaltungen", "/veranstaltungen"
	case 5:
		return "GET /veranstaltungen/:id", "/veranstaltungen/" + itoa(pick(s.rnd, f.events))
	case 6:
		return "GET /labs/:id", "/labs/" + itoa(pick(s.rnd, f.labs))
	case 7:
		return "GET /karte", "/karte"
	case 8:
		return "GET /ortsteile/:nr", "/ortsteile/" + pick(s.rnd, f.ortsteile)
	}
	return "GET /suche", "/suche?q=" + url.QueryEscape(pick(s.rnd, searchWords))
}

var searchWords = []string{"Radweg", "Wohnen", "Grünfläche", "Schule", "Straßenbahn", "Spielplatz", "Lärm", "Klima"}

// citizen logs in through the form, does a few things and logs out, again
// and again.
type citizen struct {
	s           *session
	f           *fixture
	m           mix
	email       string
	board       *boardBook
	registered  bool
	supported   map[int64]bool
	lastComment time.Time
}

func (c *citizen) run(ctx context.Context) {
	for ctx.Err() == nil {
		if !c.login(ctx) {
			c.s.think(ctx, 10*time.Second) // the error is recorded; try again later
			continue
		}
		for i := 0; i < c.m.actionsPerLogin && c.s.think(ctx, c.m.citizenThink); i++ {
			c.act(ctx)
		}
		if ctx.Err() == nil {
			c.s.get(ctx, "GET /profil/beitraege (angemeldet)", "/profil/beitraege")
			c.s.post(ctx, "POST /abmelden", "/abmelden", url.Values{})
		}
	}
}

func (c *citizen) login(ctx context.Context) bool {
	return c.s.get(ctx, "GET /anmelden", "/anmelden") &&
		c.s.post(ctx, "POST /anmelden", "/anmelden", url.Values{"email": {c.email}, "password": {soakPassword}})
}

func (c *citizen) act(ctx context.Context) {
	m := c.m
	n := c.s.rnd.IntN(m.wRead + m.wComment + m.wSupport + m.wEvent + m.wBoard)
	switch {
	case n < m.wRead:
		kind, path := publicPage(c.s, c.f)
		c.s.get(ctx, kind+" (angemeldet)", path)
	case n < m.wRead+m.wComment:
		c.comment(ctx)
	case n < m.wRead+m.wComment+m.wSupport:
		c.support(ctx)
	case n < m.wRead+m.wComment+m.wSupport+m.wEvent:
		c.registerOrCancel(ctx)
	default:
		c.board.edit(ctx, c.s)
	}
}

// comment writes on a chapter; a person may write ten a minute, so a
// citizen of the soak leaves at least ten seconds between two.
func (c *citizen) comment(ctx context.Context) {
	slug := pick(c.s.rnd, c.f.chapters)
	if !c.s.get(ctx, "GET /entwurf/:slug (angemeldet)", "/entwurf/"+slug) || time.Since(c.lastComment) < 10*time.Second {
		return
	}
	c.lastComment = time.Now()
	body := fmt.Sprintf("Dauertest %s: %s braucht mehr %s, damit der Stadtteil lebenswert bleibt (%d).",
		c.email, slug, strings.ToLower(pick(c.s.rnd, searchWords)), time.Now().UnixNano())
	c.s.post(ctx, "POST /entwurf/:slug/kommentare", "/entwurf/"+slug+"/kommentare", url.Values{"body": {body}})
}

// support gives or takes back support for a published contribution.
func (c *citizen) support(ctx context.Context) {
	n := pick(c.s.rnd, c.f.supports)
	page := "/beitraege/" + itoa(n)
	if !c.s.get(ctx, "GET /beitraege/:number (angemeldet)", page) {
		return
	}
	on := !c.supported[n]
	if c.s.post(ctx, "POST /beitraege/:number/zustimmung", page+"/zustimmung", url.Values{"on": {fmt.Sprint(on)}, "back": {page}}) {
		c.supported[n] = on
	}
}

// registerOrCancel registers for the soak's event, or cancels through the
// confirmation page when registered; the event has few seats, so some
// land on the waitlist and cancellations move them up.
func (c *citizen) registerOrCancel(ctx context.Context) {
	page := "/veranstaltungen/" + itoa(c.f.event)
	if !c.s.get(ctx, "GET /veranstaltungen/:id (angemeldet)", page) {
		return
	}
	if !c.registered {
		c.registered = c.s.post(ctx, "POST /veranstaltungen/:id/anmelden", page+"/anmelden", url.Values{})
		return
	}
	if c.s.get(ctx, "GET /veranstaltungen/:id/abmelden", page+"/abmelden") &&
		c.s.post(ctx, "POST /veranstaltungen/:id/abmelden", page+"/abmelden", url.Values{}) {
		c.registered = false
	}
}

// exporter is the AG INSEK admin who starts an export now and then and
// downloads it when it is ready.
func exporter(ctx context.Context, s *session, email, password string, every time.Duration) {
	if !(s.get(ctx, "GET /anmelden", "/anmelden") &&
		s.post(ctx, "POST /anmelden", "/anmelden", url.Values{"email": {email}, "password": {password}})) {
		return
	}
	formats := []string{"csv", "xlsx", "json"}
	for i := 0; s.think(ctx, every); i++ {
		if !s.get(ctx, "GET /admin/export", "/admin/export") {
			continue
		}
		if s.post(ctx, "POST /admin/export", "/admin/export",
			url.Values{"kind": {"contributions"}, "format": {formats[i%len(formats)]}}) {
			s.awaitExport(ctx, s.lastLocation)
		}
	}
}

// awaitExport polls the job page until the file is ready and downloads it.
func (s *session) awaitExport(ctx context.Context, job string) {
	started := time.Now()
	for time.Since(started) < 3*time.Minute {
		if !s.get(ctx, "GET /admin/export/:id", job) {
			return
		}
		if strings.Contains(string(s.lastBody), job+"/datei") {
			s.rec.ok("Export fertig (Auftrag → Datei bereit)", time.Since(started))
			s.get(ctx, "GET /admin/export/:id/datei", job+"/datei")
			return
		}
		if !s.think(ctx, 2*time.Second) {
			return
		}
	}
	s.rec.fail("Export fertig (Auftrag → Datei bereit)", "%s nach 3 min nicht fertig", job)
}
