package web

import (
	"context"
	"fmt"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/i18n"
)

// followedItem is one line of "Dem folgen Sie" in the e-mail preferences:
// what is followed, named as its page names it, with the unfollow form.
type followedItem struct {
	Kind string
	ID   int64
	Name string
	URL  string
}

// followedItems names what a person follows. A target that is gone or no
// longer visible (a hidden contribution, an unpublished event) is still
// listed, by kind only, so it can be unfollowed, but nothing about it is
// shown.
func (s *Server) followedItems(ctx context.Context, loc *i18n.Localizer, u *app.User) ([]followedItem, error) {
	follows, err := s.store.FollowsOf(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	out := make([]followedItem, 0, len(follows))
	for _, f := range follows {
		it := followedItem{Kind: f.TargetKind, ID: f.TargetID}
		switch f.TargetKind {
		case app.FollowChapter:
			if ch, err := s.store.ChapterByID(ctx, f.TargetID); err == nil {
				if doc, err := s.store.DocumentByID(ctx, ch.DocumentID); err == nil && doc.Published {
					it.Name, it.URL = ch.Title, "/entwurf/"+ch.Slug
				}
			}
		case app.FollowContribution:
			if c, err := s.store.ContributionByID(ctx, f.TargetID); err == nil && c.Status == app.StatusPublished {
				n := app.FormatContributionNumber(c.Number)
				it.Name, it.URL = n, "/beitraege/"+n
			}
		case app.FollowEvent:
			if ev, err := s.store.EventByID(ctx, f.TargetID); err == nil && ev.Published() {
				it.Name, it.URL = ev.Title, fmt.Sprintf("/veranstaltungen/%d", ev.ID)
			}
		case app.FollowLab:
			if l, err := s.store.LabByID(ctx, f.TargetID); err == nil {
				if acc, err := s.labs.Access(ctx, l, u); err == nil && acc.Read {
					it.Name, it.URL = l.Title, fmt.Sprintf("/labs/%d", l.ID)
				}
			}
		case app.FollowOrtsteil:
			code := fmt.Sprintf("%02d", f.TargetID)
			if o, ok := s.ref.Ortsteil(code); ok {
				it.Name, it.URL = o.Name, "/ortsteile/"+code
			}
		case app.FollowSurvey:
			if sv, err := s.store.SurveyByID(ctx, f.TargetID); err == nil && sv.Public() {
				it.Name, it.URL = sv.Title, fmt.Sprintf("/umfragen/%d", sv.ID)
			}
		case app.FollowFormat:
			if format, ok := app.FormatOfFollowID(f.TargetID); ok {
				it.Name, it.URL = loc.T(app.FormatLabelID(format)), "/veranstaltungen?format="+string(format)
			}
		}
		out = append(out, it)
	}
	return out, nil
}

// prefsPage is the e-mail preferences page with the list of follows.
func (s *Server) prefsPage(c echo.Context) (notifyPrefsPage, error) {
	items, err := s.followedItems(c.Request().Context(), localizer(c), currentUser(c))
	return notifyPrefsPage{Kinds: app.NotifyKinds, Modes: app.MailModes, Follows: items}, err
}
