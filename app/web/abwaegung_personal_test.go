package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/abwaegung"
	"github.com/mitwirken/mitwirken/app/store"
)

// TestAbwaegungPersonalDataAndErasure: "Meine Daten" holds a person's
// roles, Fachamt memberships, the assessment texts they wrote, the steps
// they took and their co-signatures, and nobody else's; erasing the
// account removes roles and memberships and keeps the texts as the
// Fachamt's statement under "gelöschtes Konto", and the workflow goes on.
func TestAbwaegungPersonalDataAndErasure(t *testing.T) {
	f := newAbwFix(t)
	ctx := context.Background()
	c := f.tagged(t, f.cit, "Mehr Schatten auf den Spielplätzen in Grünau.")
	n := c.PublicNumber()
	accOf := func(u *app.User) *abwaegung.Access {
		t.Helper()
		acc, err := f.a.Platform.Abwaegung.AccessOf(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		return acc
	}
	if _, err := f.a.Platform.Abwaegung.Assign(ctx, accOf(f.agA), c.ID, abwaegung.AssignInput{Lead: "ASW", Cosigners: []string{"VTA"}}); err != nil {
		t.Fatal(err)
	}
	const text = "Schattenbäume sind im Fachkonzept Freiraum für Grünau vorgesehen."
	sc := f.a.SessionClient(t, f.staffASW)
	page := sc.Get("/abwaegung/" + n)
	sc.Submit(page, "form[action='/abwaegung/"+n+"/entwurf']", url.Values{"result": {app.AssessConsidered}, "reasoning": {text}})
	if _, err := f.a.Platform.Abwaegung.Transition(ctx, accOf(f.staffVTA), c.ID, app.TransitionInput{Action: app.ActCosign, Version: f.assessment(t, c).Version}); err != nil {
		t.Fatalf("cosign: %v", err)
	}
	if _, err := f.a.Platform.Abwaegung.Transition(ctx, accOf(f.staffASW), c.ID, app.TransitionInput{Action: app.ActSubmit, Version: f.assessment(t, c).Version}); err != nil {
		t.Fatalf("submit: %v", err)
	}

	download := func(u *app.User) (*store.PersonalData, string) {
		t.Helper()
		res := f.a.SessionClient(t, u).Get("/profil/meine-daten")
		if res.Status != http.StatusOK {
			t.Fatalf("download: %d", res.Status)
		}
		var d store.PersonalData
		if err := json.Unmarshal([]byte(res.Body), &d); err != nil {
			t.Fatal(err)
		}
		if d.Abwaegung == nil {
			t.Fatalf("no Abwägung part: %s", res.Body)
		}
		return &d, res.Body
	}
	d, _ := download(f.staffASW)
	ab := d.Abwaegung
	if len(ab.Roles) != 1 || ab.Roles[0].Role != app.RoleFachamt || len(ab.Fachaemter) != 1 || ab.Fachaemter[0].Short != "ASW" {
		t.Errorf("roles %+v, Fachämter %+v", ab.Roles, ab.Fachaemter)
	}
	if len(ab.Texts) != 1 || ab.Texts[0].Contribution != n || ab.Texts[0].Reasoning != text || ab.Texts[0].Result != app.AssessConsidered ||
		ab.Texts[0].Fachamt != "ASW" || ab.Texts[0].Source != "web" || ab.Texts[0].Number != 1 {
		t.Errorf("texts %+v", ab.Texts)
	}
	var actions []string
	for _, s := range ab.Steps {
		if s.Contribution != n {
			t.Errorf("step of another contribution: %+v", s)
		}
		actions = append(actions, s.Action)
	}
	if strings.Join(actions, ",") != "draft,submit" {
		t.Errorf("steps %v", actions)
	}
	if len(ab.Signatures) != 0 {
		t.Errorf("signatures of another person: %+v", ab.Signatures)
	}
	dv, body := download(f.staffVTA)
	if s := dv.Abwaegung.Signatures; len(s) != 1 || s[0].Contribution != n || s[0].Fachamt != "VTA" || s[0].TextNumber != 1 || s[0].SignedAt == nil {
		t.Errorf("co-signatures %+v", s)
	}
	if len(dv.Abwaegung.Texts) != 0 || strings.Contains(body, text) {
		t.Errorf("the co-signer's download holds the lead's text")
	}
	if da, _ := download(f.agA); len(da.Abwaegung.Roles) != 1 || da.Abwaegung.Roles[0].Role != app.RoleAgInsek || len(da.Abwaegung.Fachaemter) != 0 {
		t.Errorf("AG INSEK roles %+v", da.Abwaegung)
	}

	if err := f.a.Store.EraseUser(ctx, f.staffASW, f.staffASW.ID); err != nil {
		t.Fatal(err)
	}
	var left int64
	f.a.Store.Gorm().Table("user_roles").Where("user_id = ?", f.staffASW.ID).Count(&left)
	var members int64
	f.a.Store.Gorm().Table("fachamt_members").Where("user_id = ?", f.staffASW.ID).Count(&members)
	if left != 0 || members != 0 {
		t.Errorf("after the erasure: %d roles, %d memberships", left, members)
	}
	if acc := accOf(f.staffASW); acc.Staff() {
		t.Errorf("the erased account still works in the Abwägung")
	}
	a := f.assessment(t, c)
	versions, err := f.a.Store.AssessmentVersions(ctx, a.ID)
	if err != nil || len(versions) != 1 || versions[0].Reasoning != text || versions[0].AuthorID == nil || *versions[0].AuthorID != f.staffASW.ID {
		t.Fatalf("the text must stay under the tombstone: %+v %v", versions, err)
	}
	ac := f.a.SessionClient(t, f.agA)
	page = ac.Get("/abwaegung/" + n)
	history := page.Doc.Find("#versions-title").Parent().Text()
	if !strings.Contains(history, "gelöschtes Konto") || !strings.Contains(history, text) || strings.Contains(page.Body, "ASW Sachbearbeiterin") {
		t.Errorf("version history after the erasure: %q", history)
	}
	// The workflow goes on: AG INSEK publishes the erased author's text.
	if _, err := f.a.Platform.Abwaegung.Transition(ctx, accOf(f.agA), c.ID, app.TransitionInput{Action: app.ActPublish, Version: a.Version}); err != nil {
		t.Fatalf("publish by AG INSEK: %v", err)
	}
}
