package surveys

import (
	"context"

	"github.com/mitwirken/mitwirken/app"
)

// checkLinks refuses a link to a chapter or event that does not exist: the
// survey page would link to nothing, and followers of the chapter or event
// are told about the survey's opening.
func (s *Service) checkLinks(ctx context.Context, chapter, event *int64) error {
	var fields []app.FieldError
	if chapter != nil {
		if _, err := s.Store.ChapterByID(ctx, *chapter); app.ErrorCode(err) == app.CodeNotFound {
			fields = append(fields, app.FieldError{Field: "chapter_id", Msg: app.M("surveys.chapter_unknown")})
		} else if err != nil {
			return err
		}
	}
	if event != nil {
		if _, err := s.Store.EventByID(ctx, *event); app.ErrorCode(err) == app.CodeNotFound {
			fields = append(fields, app.FieldError{Field: "event_id", Msg: app.M("surveys.event_unknown")})
		} else if err != nil {
			return err
		}
	}
	if len(fields) > 0 {
		return app.Invalid(fields...)
	}
	return nil
}

// Links are what a survey belongs to, for its page.
type Links struct {
	Chapter *app.DraftChapter
	Event   *app.Event
}

// LinksOf loads the chapter and event a survey belongs to; one deleted
// since is left out.
func (s *Service) LinksOf(ctx context.Context, sv *app.Survey) (Links, error) {
	var l Links
	var err error
	if sv.ChapterID != nil {
		if l.Chapter, err = s.Store.ChapterByID(ctx, *sv.ChapterID); app.ErrorCode(err) == app.CodeNotFound {
			l.Chapter, err = nil, nil
		}
		if err != nil {
			return l, err
		}
	}
	if sv.EventID != nil {
		if l.Event, err = s.Store.EventByID(ctx, *sv.EventID); app.ErrorCode(err) == app.CodeNotFound || (err == nil && !l.Event.Published()) {
			l.Event, err = nil, nil
		}
	}
	return l, err
}
