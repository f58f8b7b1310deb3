package notify

import (
	"context"
	"fmt"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// SurveyOpened is the hook for app/surveys (issue 15: "a survey opening"):
// call it in the transaction that opens a survey, with the survey's public
// title and the chapter or event it is linked to, if any. Followers of the
// survey and of that chapter or event hear of it (kind survey_opened,
// mailed at once by default); the caller wakes the mail worker after the
// commit when it reports true. Call it only for a survey everyone may
// answer: the notification names the survey by its title and links to
// /umfragen/ID.
func (s *Service) SurveyOpened(ctx context.Context, tx *store.Store, surveyID int64, title string, actor *int64, linked ...app.Follow) (bool, error) {
	targets := append([]app.Follow{Target(app.FollowSurvey, surveyID)}, linked...)
	return s.Publish(ctx, tx, Event{Kind: app.NotifySurveyOpened, SubjectKind: app.FollowSurvey, SubjectID: surveyID,
		Title: title, URL: fmt.Sprintf("/umfragen/%d", surveyID), Targets: targets, Actor: actor})
}
