package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/auth"
	"github.com/mitwirken/mitwirken/app/seed"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/cmd/internal/loadboard"
)

// soakPassword is the password of the soak's own accounts (a throwaway
// database, dropped at the end).
const soakPassword = "Soak-Leipzig-2030"

// fixture is what the sessions need to know of the seeded database.
type fixture struct {
	citizens  []string // e-mail addresses, password soakPassword
	chapters  []string // slugs of published chapters
	supports  []int64  // numbers of published contributions
	events    []int64  // public events (pages)
	labs      []int64
	ortsteile []string // codes of the demo accounts' Ortsteile
	event     int64    // the event the sessions register for and cancel
	board     string
	columns   []int64
}

// createDatabase makes a fresh database next to the server's default one
// and returns its URL and a function that drops it.
func createDatabase(adminURL string) (string, func(), error) {
	admin, err := sql.Open("pgx", adminURL)
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("mwsoak_%d", time.Now().UnixNano())
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		admin.Close()
		return "", nil, err
	}
	drop := func() {
		_, _ = admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		admin.Close()
	}
	u, err := url.Parse(adminURL)
	if err != nil {
		drop()
		return "", nil, err
	}
	u.Path = "/" + name
	return u.String(), drop, nil
}

// prepare migrates, adds the demo content (as `make run` shows it) and the
// soak's accounts, an open lab with a board and an event with few seats, so
// that registrations also reach the waitlist.
func prepare(ctx context.Context, dbURL string, citizens int) (*fixture, error) {
	st, err := store.Open(ctx, store.Options{URL: dbURL})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return nil, err
	}
	if err := seed.Demo(ctx, st, seed.Options{}); err != nil {
		return nil, err
	}
	hash, err := auth.HashPassword(soakPassword)
	if err != nil {
		return nil, err
	}
	f := &fixture{ortsteile: []string{"91", "41", "62", "51"}}
	var host *app.User
	for i := 0; i < citizens; i++ {
		email := fmt.Sprintf("soak-%03d@example.org", i)
		u, err := seed.EnsureUser(ctx, st, email, fmt.Sprintf("Dauertest %d", i), app.RoleCitizen, hash, "")
		if err != nil {
			return nil, err
		}
		if host == nil {
			host = u
		}
		f.citizens = append(f.citizens, email)
	}
	admin, err := st.UserByEmail(ctx, seed.DemoAdminEmail)
	if err != nil {
		return nil, err
	}
	f.board, f.columns, err = loadboard.Create(ctx, st, "Dauertest", host.ID)
	if err != nil {
		return nil, err
	}

	d := st.Now().In(app.Berlin).AddDate(0, 0, 14)
	start := time.Date(d.Year(), d.Month(), d.Day(), 18, 0, 0, 0, app.Berlin)
	in := app.EventInput{Title: "Dauertest: Werkstatt Wohnen", Format: string(app.FormatWorkshop),
		Description: "Anmelden und abmelden im Dauertest.", Themes: []string{"wohnen"},
		Venue: "Stadtbüro Leipzig", Address: "Katharinenstraße 1, 04109 Leipzig", StepFree: true,
		StartsAt: app.LocalInput(start), EndsAt: app.LocalInput(start.Add(2 * time.Hour)),
		Capacity: app.N(max(citizens/3, 1)), Allocation: string(app.AllocFirstCome)}
	in.Clean()
	if err := in.Validate(st.Now()); err != nil {
		return nil, err
	}
	ev, err := st.CreateEvent(ctx, admin, &in)
	if err != nil {
		return nil, err
	}
	f.event = ev.ID

	db := st.Gorm().WithContext(ctx)
	if err := db.Table("draft_chapters").Joins("JOIN draft_documents ON draft_documents.id = draft_chapters.document_id").
		Where("draft_documents.published").Pluck("draft_chapters.slug", &f.chapters).Error; err != nil {
		return nil, err
	}
	if err := db.Table("contributions").Where("status = ? AND parent_id IS NULL", app.StatusPublished).Order("number").Limit(50).
		Pluck("number", &f.supports).Error; err != nil {
		return nil, err
	}
	if err := db.Table("events").Order("id").Pluck("id", &f.events).Error; err != nil {
		return nil, err
	}
	if err := db.Table("labs").Where("status = ? AND open", app.LabActive).Pluck("id", &f.labs).Error; err != nil {
		return nil, err
	}
	if len(f.chapters) == 0 || len(f.supports) == 0 || len(f.labs) == 0 {
		return nil, fmt.Errorf("demo content incomplete: %d chapters, %d contributions, %d labs", len(f.chapters), len(f.supports), len(f.labs))
	}
	return f, nil
}
