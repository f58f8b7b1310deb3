package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestSelectionVerifyPlatformDraw: `mitwirken selection verify DRAW.json`
// accepts the document downloaded from a platform draw with quotas, and
// rejects it when the seed was changed.
func TestSelectionVerifyPlatformDraw(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	ctx := context.Background()
	admin := a.CreateUser(t, "ag-insek-cli@example.org", "AG INSEK CLI", app.RoleAdmin)
	start := time.Now().In(app.Berlin).AddDate(0, 0, 7)
	ev, err := a.Platform.Events.Create(ctx, admin, app.EventInput{
		Title: "Werkstattgespräch Verkehr", Format: string(app.FormatWorkshop), Description: "Mobilität im Quartier",
		Venue: "Stadtbüro", Address: "Katharinenstraße 1, 04109 Leipzig",
		StartsAt: app.LocalInput(start), EndsAt: app.LocalInput(start.Add(2 * time.Hour)),
		Capacity: app.N(3), Allocation: string(app.AllocSelection),
	})
	if err != nil {
		t.Fatal(err)
	}
	ages := []string{"16_29", "16_29", "30_44", "30_44", "45_64", "65_plus", "65_plus"}
	for i, age := range ages {
		u := a.CreateUser(t, fmt.Sprintf("cli-%d@example.org", i), fmt.Sprintf("CLI Person %d", i), app.RoleCitizen)
		if _, err := a.Platform.Events.Register(ctx, u, ev.ID, app.RegistrationInput{AnswersConsent: true, AnswerAge: age}); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Platform.Events.AddCategory(ctx, admin, ev, app.SelectionCategoryInput{Source: app.SourceAge}, func(id string) string { return id }); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Platform.Events.AnnounceDraw(ctx, admin, ev.ID, app.DrawAnnounceInput{SeedSource: "Lottozahlen"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Platform.Events.RunDraw(ctx, admin, ev.ID, app.DrawInput{Seed: "5 6 7 8 9 10"}); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(fmt.Sprintf("%s/veranstaltungen/%d/auslosung/draw.json", a.URL, ev.ID))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "DRAW.json")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, "", "selection", "verify", path); r.err != nil || !strings.Contains(string(body), `"algorithm": "leximin"`) {
		t.Fatalf("selection verify: %v\n%s", r.err, r.stdout)
	}
	tampered := strings.Replace(string(body), `"seed": "5 6 7 8 9 10"`, `"seed": "5 6 7 8 9 11"`, 1)
	if tampered == string(body) {
		t.Fatal("seed not found in DRAW.json")
	}
	if err := os.WriteFile(path, []byte(tampered), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, "", "selection", "verify", path); r.err == nil {
		t.Fatal("a draw with a changed seed verified")
	}
}
