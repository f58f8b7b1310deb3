package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestSelectionAnswersPersonalData: answers to the organisers' own quota
// categories are in "Meine Daten" and are deleted with the account.
func TestSelectionAnswersPersonalData(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	ev, _ := quotaEvent(t, a, 2, "16_29")
	if err := a.Platform.Events.AddCategory(ctx, eventAdmin(t, a), ev,
		app.SelectionCategoryInput{Source: app.SourceFree, Name: "Wohnsituation", Values: "Miete\nEigentum"}, func(id string) string { return id }); err != nil {
		t.Fatal(err)
	}
	cats, _ := a.Store.SelectionCategories(ctx, ev.ID)
	anna := a.CreateUser(t, "anna-quote@example.org", "Anna Quote", app.RoleCitizen)
	if _, err := a.Platform.Events.Register(ctx, anna, ev.ID, app.RegistrationInput{AnswersConsent: true, Selection: map[int64]string{cats[0].ID: "Eigentum"}}); err != nil {
		t.Fatal(err)
	}
	c := a.SessionClient(t, anna)
	var pd store.PersonalData
	if err := json.Unmarshal([]byte(c.Get("/profil/meine-daten").Body), &pd); err != nil {
		t.Fatal(err)
	}
	if len(pd.SelectionAnswers) != 1 || pd.SelectionAnswers[0] != (store.PersonalSelectionAnswer{Event: ev.Title, Category: "Wohnsituation", Value: "Eigentum"}) {
		t.Fatalf("Meine Daten: %+v", pd.SelectionAnswers)
	}
	res := c.Submit(c.Get("/profil/loeschen"), "main form[action='/profil/loeschen']", url.Values{"password": {testenv.DefaultPassword}, "confirm": {"true"}})
	if res.Status != http.StatusOK {
		t.Fatalf("delete account: %d %s", res.Status, res.Text())
	}
	var n int64
	a.Store.Gorm().Model(&app.SelectionAnswer{}).Count(&n)
	if n != 0 {
		t.Fatalf("%d answers survived the erasure", n)
	}
}
