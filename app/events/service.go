// Package events runs the in-person formats of the participation process:
// registration with a hard capacity, the waiting list with offers, the
// selection draw for Werkstattgespräche, invitations of organisations to the
// Stadtgebietsforen, check-in, calendars and the mails around all of it.
//
// Seat accounting lives in the store (app/store/events_seats.go); this
// package decides who is told what and writes every mail in the transaction
// of the change that causes it.
package events

import (
	"context"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/auth"
	"github.com/mitwirken/mitwirken/app/mail"
	"github.com/mitwirken/mitwirken/app/notify"
	"github.com/mitwirken/mitwirken/app/selection"
	"github.com/mitwirken/mitwirken/app/store"
)

// Drawer computes the lottery over panels for a frozen pool of applicants:
// the seam where the follow-up issue plugs in quotas and leximin. The pool
// holds pseudonymous ids only.
// alg is the organisers' choice (leximin by default, legacy for comparison).
type Drawer func(ctx context.Context, pool selection.Pool, seats int, alg selection.Algorithm) (*selection.Distribution, error)

// UniformDrawer is the plain lottery: every applicant has the same chance.
func UniformDrawer(ctx context.Context, pool selection.Pool, seats int, _ selection.Algorithm) (*selection.Distribution, error) {
	return selection.Compute(ctx, pool, seats, selection.Options{Algorithm: selection.Uniform})
}

// Service runs the event flows.
type Service struct {
	Store  *store.Store
	Mail   *mail.Composer
	Signer *auth.Signer
	// Locate finds the Ortsteil of a point (longitude, latitude) from the
	// boundaries (issue 14); nil refuses every venue point.
	Locate func(lon, lat float64) (code, name string, ok bool)
	// WakeMail nudges the mail worker after a mail was queued.
	WakeMail func()
	// Drawer computes draws; QuotaDrawer by default.
	Drawer Drawer
	// Background is the context of background work started by a request
	// (the draw computation); the platform cancels it on shutdown.
	Background context.Context
	// Worker names this instance in claimed jobs.
	Worker string
	// BaseURL makes absolute links (calendar entries, QR codes).
	BaseURL string
	// SiteName names the calendar feed and the organiser.
	SiteName string
	Log      *slog.Logger
	// Notify tells the followers of an event about changes (issue 15).
	Notify *notify.Service

	wakePending atomic.Bool
	// registering limits the registrations at once per event
	// (register_limit.go), one channel per stripe of events.
	registering []chan struct{}
	// waitingForTurn counts the registrations waiting for their turn.
	waitingForTurn atomic.Int64
}

// New builds the service.
func New(st *store.Store, composer *mail.Composer, signer *auth.Signer, wake func(), baseURL, siteName string, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	s := &Service{Store: st, Mail: composer, Signer: signer, WakeMail: wake, Drawer: QuotaDrawer, Worker: workerName(),
		BaseURL: strings.TrimRight(baseURL, "/"), SiteName: siteName, Log: log}
	s.SetRegistrationsAtOnce(DefaultRegistrationsAtOnce)
	return s
}

// wakeDelay gathers the mails of a rush into few worker passes: the worker
// claims and finishes mails in batches, so waking it once per registration
// would cost several statements per mail. Mails still leave within a
// fraction of a second.
const wakeDelay = 200 * time.Millisecond

func (s *Service) wake() {
	if s.WakeMail == nil || !s.wakePending.CompareAndSwap(false, true) {
		return
	}
	time.AfterFunc(wakeDelay, func() {
		s.wakePending.Store(false)
		s.WakeMail()
	})
}

// Purposes of the signed links in mails. Each link works for one purpose and
// one registration, and stops working when the registration's nonce changes.
const (
	PurposeCancel  = "event-cancel"
	PurposeOffer   = "event-offer"
	PurposeCheckin = "event-checkin"
)

// Link signs a link value for a registration.
func (s *Service) Link(purpose string, ev *app.Event, r *app.Registration) string {
	until := ev.EndsAt.Add(12 * time.Hour)
	if purpose == PurposeOffer && r.OfferExpiresAt != nil {
		until = r.OfferExpiresAt.Add(7 * 24 * time.Hour) // a late click says "expired", not "invalid"
	}
	ttl := until.Sub(s.Store.Now())
	if ttl < time.Hour {
		ttl = time.Hour
	}
	return s.Signer.Sign(purpose, strconv.FormatInt(r.ID, 10)+"."+r.LinkNonce, ttl)
}

// LinkPath is the path a signed link opens.
func LinkPath(purpose, token string) string {
	switch purpose {
	case PurposeCancel:
		return "/anmeldung/stornieren?t=" + url.QueryEscape(token)
	case PurposeOffer:
		return "/anmeldung/angebot?t=" + url.QueryEscape(token)
	}
	return "/einlass/" + url.PathEscape(token)
}

// CheckinURL is the absolute address in a registration's QR code.
func (s *Service) CheckinURL(ev *app.Event, r *app.Registration) string {
	return s.BaseURL + LinkPath(PurposeCheckin, s.Link(PurposeCheckin, ev, r))
}

// ResolveLink finds the registration a signed link was made for. Links whose
// registration moved on (cancelled, offer ended) are not found.
func (s *Service) ResolveLink(ctx context.Context, purpose, token string) (*app.Registration, *app.Event, error) {
	value, ok := s.Signer.Verify(purpose, token)
	if !ok {
		return nil, nil, app.NotFound()
	}
	idStr, nonce, ok := strings.Cut(value, ".")
	id, err := strconv.ParseInt(idStr, 10, 64)
	if !ok || err != nil {
		return nil, nil, app.NotFound()
	}
	r, err := s.Store.RegistrationByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if subtle.ConstantTimeCompare([]byte(r.LinkNonce), []byte(nonce)) != 1 {
		return nil, nil, app.NotFound()
	}
	ev, err := s.Store.EventByID(ctx, r.EventID)
	return r, ev, err
}

// recipient is who a registration's mails go to: the account, or the
// delegate named by an organisation.
type recipient struct {
	to   mail.Recipient
	name string
}

func (s *Service) recipients(ctx context.Context, tx *store.Store, regs []*app.Registration) (map[int64]recipient, error) {
	var ids []int64
	for _, r := range regs {
		if r.UserID != nil {
			ids = append(ids, *r.UserID)
		}
	}
	users, err := tx.UsersByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := map[int64]recipient{}
	for _, r := range regs {
		switch {
		case r.UserID != nil:
			if u := users[*r.UserID]; u != nil && !u.Erased() && u.EmailAddress() != "" {
				out[r.ID] = recipient{to: mail.To(u), name: u.DisplayName}
			}
		case r.Email != "":
			out[r.ID] = recipient{to: mail.Recipient{Email: r.Email, Lang: "de"}, name: r.Name}
		}
	}
	return out, nil
}

// eventData is what every event mail shows about the event, formatted in
// the recipient's language.
func (s *Service) eventData(ev *app.Event, lang string) map[string]any {
	when := FormatWhen(ev, lang)
	facts := []Fact{{"events.when", when}, {"events.where", ev.Venue + ", " + ev.Address}}
	if ev.VenueAccess != "" {
		facts = append(facts, Fact{"events.access_label", ev.VenueAccess})
	}
	return map[string]any{
		"Title": ev.Title, "When": when, "Venue": ev.Venue, "Address": ev.Address, "Facts": facts,
		"EventPath": fmt.Sprintf("/veranstaltungen/%d", ev.ID), "CalendarPath": fmt.Sprintf("/veranstaltungen/%d/kalender.ics", ev.ID),
	}
}

// Fact is one line of the event details in a mail: a label (message id)
// and its value.
type Fact struct {
	Label string
	Value string
}

// registrationData adds the person and their links.
func (s *Service) registrationData(ev *app.Event, r *app.Registration, rc recipient) map[string]any {
	d := s.eventData(ev, rc.to.Lang)
	d["Name"] = rc.name
	d["Pseudonym"] = r.Pseudonym
	cancel := s.Link(PurposeCancel, ev, r)
	d["CancelPath"] = LinkPath(PurposeCancel, cancel)
	mail.Secret(d, cancel)
	if r.Status == app.RegOffered {
		token := s.Link(PurposeOffer, ev, r)
		d["AcceptPath"] = LinkPath(PurposeOffer, token) + "&antwort=annehmen"
		d["DeclinePath"] = LinkPath(PurposeOffer, token) + "&antwort=ablehnen"
		mail.Secret(d, token)
		if r.OfferExpiresAt != nil {
			d["Deadline"] = FormatTime(*r.OfferExpiresAt, rc.to.Lang)
		}
	}
	if r.Status == app.RegConfirmed {
		checkin := s.Link(PurposeCheckin, ev, r)
		d["CheckinURL"] = s.BaseURL + LinkPath(PurposeCheckin, checkin)
		mail.Secret(d, checkin)
	}
	return d
}

var (
	weekdaysDE = []string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"}
	monthsDE   = []string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"}
)

// FormatWhen writes an event's date and time in Berlin time:
// "Dienstag, 14. April 2026, 18:00–20:30 Uhr".
func FormatWhen(ev *app.Event, lang string) string {
	start, end := ev.StartsAt.In(app.Berlin), ev.EndsAt.In(app.Berlin)
	sameDay := start.YearDay() == end.YearDay() && start.Year() == end.Year()
	if lang == "en" {
		if sameDay {
			return start.Format("Monday, 2 January 2006, 15:04") + "–" + end.Format("15:04")
		}
		return start.Format("Monday, 2 January 2006, 15:04") + " – " + end.Format("Monday, 2 January 2006, 15:04")
	}
	day := func(t time.Time) string {
		return fmt.Sprintf("%s, %d. %s %d", weekdaysDE[t.Weekday()], t.Day(), monthsDE[t.Month()-1], t.Year())
	}
	if sameDay {
		return fmt.Sprintf("%s, %s–%s Uhr", day(start), start.Format("15:04"), end.Format("15:04"))
	}
	return fmt.Sprintf("%s, %s Uhr – %s, %s Uhr", day(start), start.Format("15:04"), day(end), end.Format("15:04"))
}

// FormatTime writes a moment in Berlin time: "14.04.2026, 18:00 Uhr".
func FormatTime(t time.Time, lang string) string {
	t = t.In(app.Berlin)
	if lang == "en" {
		return t.Format("2 January 2006, 15:04")
	}
	return t.Format("02.01.2006, 15:04") + " Uhr"
}

func actorName(u *app.User) string {
	if u == nil {
		return ""
	}
	return u.DisplayName
}

func workerName() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), store.NewLinkNonce()[:8])
}
