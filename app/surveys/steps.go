package surveys

import (
	"context"
	"encoding/json"

	"github.com/mitwirken/mitwirken/app"
)

// SaveProgress keeps an account's place in a one-question-per-screen run
// and its answers so far (as the form sent them; they are checked again
// when the run is submitted). Anonymous runs keep nothing on the server:
// their answers travel in the form until they are submitted.
func (s *Service) SaveProgress(ctx context.Context, sv *app.Survey, who Respondent, step int, form map[string][]string) error {
	if err := sv.NotOpenError(s.Store.Now()); err != nil {
		return err
	}
	if sv.Anonymous || who.User == nil {
		return app.Unauthorized()
	}
	if !who.User.Verified() {
		return app.Errorf(app.CodeForbidden, "account.verify_first")
	}
	draft, err := json.Marshal(form)
	if err != nil {
		return err
	}
	return s.Store.SaveSurveyProgress(ctx, sv.ID, who.User.ID, sv.Version, step, string(draft))
}

// Draft reads the answers so far of a response's unfinished run (nil when
// there is none).
func Draft(r *app.SurveyResponse) map[string][]string {
	if r == nil || r.Draft == "" {
		return nil
	}
	var form map[string][]string
	if json.Unmarshal([]byte(r.Draft), &form) != nil {
		return nil
	}
	return form
}
