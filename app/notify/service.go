// Package notify runs following and notifications (issue 15): whoever
// follows a chapter, a contribution, an event, a lab or an Ortsteil gets an
// entry in /benachrichtigungen when something happens there, and a mail at
// once, in a daily or weekly digest, or never, as chosen per kind in
// "Mein Konto". Every notification mail carries a one-click unsubscribe
// (RFC 8058) for its kind.
//
// Notifications are written in the transaction of the change that causes
// them. Callers announce only public facts: published contributions, public
// events and labs; a notification names its subject by a public title and
// never carries text a person wrote, so it cannot leak redacted content or
// an anonymous board's authors.
package notify

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/auth"
	"github.com/mitwirken/mitwirken/app/mail"
	"github.com/mitwirken/mitwirken/app/store"
)

// JobInterval is how often the digest job looks for a closed period (seconds).
const JobInterval = 300

// MaxDigestItems bounds one digest; the rest waits for the next period.
const MaxDigestItems = 200

// unsubscribePurpose binds unsubscribe tokens to their use.
const unsubscribePurpose = "notify-unsubscribe"

// unsubscribeTTL is how long an unsubscribe link in a mail works.
const unsubscribeTTL = 400 * 24 * time.Hour

// Service writes notifications and mails them.
type Service struct {
	Store *store.Store
	// Mail may be nil (seed, CLI): notifications are listed but not mailed.
	Mail     *mail.Composer
	Signer   *auth.Signer
	BaseURL  string
	WakeMail func()
	Log      *slog.Logger
}

// Event is something that happened to followed targets.
type Event struct {
	Kind string
	// Subject is what the notification links to.
	SubjectKind string
	SubjectID   int64
	Title       string
	URL         string
	// Targets are the follow targets whose followers hear of it.
	Targets []app.Follow
	// Actor caused the event and is not notified.
	Actor *int64
	// Mailed already got a mail about this from the caller (e.g. the
	// author's "your contribution was answered", a registrant's "event
	// changed"): listed, not mailed again.
	Mailed map[int64]bool
	// Allow, if set, decides per recipient whether they may still see the
	// subject (members-only labs).
	Allow func(userID int64) (bool, error)
}

// Target names one follow target.
func Target(kind string, id int64) app.Follow { return app.Follow{TargetKind: kind, TargetID: id} }

// Publish notifies every follower of the event's targets through tx. It
// reports whether a mail was queued (the caller wakes the mail worker after
// the commit).
func (s *Service) Publish(ctx context.Context, tx *store.Store, e Event) (bool, error) {
	if s == nil {
		return false, nil
	}
	seen := map[int64]bool{}
	var recipients []int64
	for _, t := range e.Targets {
		ids, err := tx.Followers(ctx, t.TargetKind, t.TargetID)
		if err != nil {
			return false, err
		}
		for _, id := range ids {
			if !seen[id] && (e.Actor == nil || *e.Actor != id) {
				seen[id] = true
				recipients = append(recipients, id)
			}
		}
	}
	mailed := false
	for _, uid := range recipients {
		u, err := tx.UserByID(ctx, uid)
		if app.ErrorCode(err) == app.CodeNotFound {
			continue
		}
		if err != nil {
			return false, err
		}
		if u.Erased() {
			continue
		}
		if e.Allow != nil {
			ok, err := e.Allow(uid)
			if err != nil {
				return false, err
			}
			if !ok {
				continue
			}
		}
		prefs, err := tx.NotifyPrefs(ctx, uid)
		if err != nil {
			return false, err
		}
		n := &app.Notification{UserID: uid, Kind: e.Kind, SubjectKind: e.SubjectKind, SubjectID: e.SubjectID,
			Title: truncate(e.Title, 200), URL: e.URL, MailState: app.NotifyMailPending}
		mode := prefs[e.Kind]
		noMail := s.Mail == nil || u.EmailAddress() == "" || e.Mailed[uid]
		if noMail || mode == app.MailNever || mode == app.MailImmediately {
			n.MailState = app.NotifyMailDone
		}
		if err := tx.AddNotification(ctx, n); err != nil {
			return false, err
		}
		if !noMail && mode == app.MailImmediately {
			if err := s.queue(ctx, tx, "notify", u, e.Kind, map[string]any{
				"Kind": e.Kind, "Title": n.Title, "Link": e.URL,
			}); err != nil {
				return false, err
			}
			mailed = true
		}
	}
	return mailed, nil
}

// Wake starts the mail worker after a commit that queued mail.
func (s *Service) Wake() {
	if s != nil && s.WakeMail != nil {
		s.WakeMail()
	}
}

// queue writes a notification mail with its unsubscribe link and headers.
// scope is the notification kind or "digest:MODE".
func (s *Service) queue(ctx context.Context, tx *store.Store, kind string, u *app.User, scope string, data map[string]any) error {
	m, err := s.compose(kind, u, scope, data)
	if err != nil {
		return err
	}
	return tx.EnqueueMail(ctx, m)
}

func (s *Service) compose(kind string, u *app.User, scope string, data map[string]any) (*app.OutboxMessage, error) {
	token := s.UnsubscribeToken(u.ID, scope)
	link := strings.TrimRight(s.BaseURL, "/") + "/benachrichtigungen/abmelden?t=" + token
	data["Unsubscribe"] = "/benachrichtigungen/abmelden?t=" + token
	data["Scope"] = scope
	m, err := s.Mail.Compose(kind, mail.To(u), mail.Secret(data, token))
	if err != nil {
		return nil, app.Internal(err)
	}
	m.Headers = map[string]string{
		"List-Unsubscribe":      "<" + link + ">",
		"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
	}
	return m, nil
}

// UnsubscribeToken is the signed value of an unsubscribe link: account and
// scope (a notification kind, or "digest:daily" / "digest:weekly").
func (s *Service) UnsubscribeToken(userID int64, scope string) string {
	return s.Signer.Sign(unsubscribePurpose, strconv.FormatInt(userID, 10)+":"+scope, unsubscribeTTL)
}

// Unsubscription is what a valid unsubscribe link stands for.
type Unsubscription struct {
	UserID int64
	Scope  string
	// Kinds are the notification kinds it stops mailing.
	Kinds []string
}

// ParseUnsubscribe checks an unsubscribe token; for a digest it lists the
// kinds now mailed in that digest.
func (s *Service) ParseUnsubscribe(ctx context.Context, token string) (*Unsubscription, error) {
	if len(token) > 500 {
		return nil, app.NotFound()
	}
	value, ok := s.Signer.Verify(unsubscribePurpose, token)
	if !ok {
		return nil, app.NotFound()
	}
	idStr, scope, ok := strings.Cut(value, ":")
	id, err := strconv.ParseInt(idStr, 10, 64)
	if !ok || err != nil {
		return nil, app.NotFound()
	}
	out := &Unsubscription{UserID: id, Scope: scope}
	if mode, digest := strings.CutPrefix(scope, "digest:"); digest {
		prefs, err := s.Store.NotifyPrefs(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, k := range app.NotifyKinds {
			if prefs[k] == mode {
				out.Kinds = append(out.Kinds, k)
			}
		}
	} else if app.IsNotifyKind(scope) {
		out.Kinds = []string{scope}
	} else {
		return nil, app.NotFound()
	}
	return out, nil
}

// Unsubscribe sets the kinds of a valid token to "never".
func (s *Service) Unsubscribe(ctx context.Context, token string) (*Unsubscription, error) {
	u, err := s.ParseUnsubscribe(ctx, token)
	if err != nil {
		return nil, err
	}
	in := app.NotifyPrefsInput{}
	for _, k := range u.Kinds {
		in[k] = app.MailNever
	}
	if len(in) == 0 {
		return u, nil
	}
	if err := s.Store.SetNotifyPrefs(ctx, u.UserID, in); err != nil {
		return nil, err
	}
	return u, nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

var _ = fmt.Sprint
