// Package seed fills a database with demo content for `make run`, demos and
// benchmarks. Every step is idempotent: running it twice changes nothing.
package seed

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/auth"
	"github.com/mitwirken/mitwirken/app/events"
	"github.com/mitwirken/mitwirken/app/store"
)

// Demo accounts. The passwords are public: demo installations only.
const (
	DemoAdminEmail     = "admin@mitwirken.example"
	DemoAdminPassword  = "Leipzig-2030-demo"
	DemoModeratorEmail = "moderation@mitwirken.example"
	DemoCitizenEmail   = "buergerin@mitwirken.example"
	DemoPassword       = "Leipzig-2030-demo"
)

// Options select what the demo adds.
type Options struct {
	Out io.Writer
	// Events, when set, adds the demo draw (DemoDrawTitle) through the
	// platform's events service: quotas, leximin, seed. T translates the
	// quota preset names (German catalog).
	Events *events.Service
	T      func(id string) string
}

// Demo adds the demo accounts and, through the features' steps, demo content.
func Demo(ctx context.Context, s *store.Store, opts Options) error {
	if opts.Out == nil {
		opts.Out = io.Discard
	}
	steps := []struct {
		name string
		run  func(context.Context, *store.Store) error
	}{
		{"accounts", demoAccounts},
		{"labs", demoLabs},
		{"draft", demoDraft},
		{"abwaegung", demoAbwaegung},
		{"events", demoEvents},
		{"surveys", demoSurveys},
		// Features add their demo content here (events, draft, labs, ...).
	}
	if opts.Events != nil {
		steps = append(steps, struct {
			name string
			run  func(context.Context, *store.Store) error
		}{"draw", func(ctx context.Context, s *store.Store) error { return demoDraw(ctx, s, opts.Events, opts.T) }})
	}
	// Replicas started together with MITWIRKEN_DEMO=true seed one after the
	// other: the steps are idempotent, but not atomic against each other.
	return s.WithLock(ctx, "demo-seed", func() error {
		for _, step := range steps {
			started := time.Now()
			if err := step.run(ctx, s); err != nil {
				return fmt.Errorf("demo %s: %w", step.name, err)
			}
			fmt.Fprintf(opts.Out, "Demo-Inhalte: %s bereit (%.1f s)\n", step.name, time.Since(started).Seconds())
		}
		return nil
	})
}

type demoAccount struct {
	email, name, ortsteil string
	role                  app.Role
}

var demoAccountList = []demoAccount{
	{DemoAdminEmail, "AG INSEK Demo", "", app.RoleAdmin},
	{DemoModeratorEmail, "Moderation Demo", "", app.RoleModerator},
	{DemoCitizenEmail, "Gohliserin", "91", app.RoleCitizen},
	{"connewitz@mitwirken.example", "Connewitzer Nachbar", "41", app.RoleCitizen},
	{"gruenau@mitwirken.example", "Grünauer Radlerin", "62", app.RoleCitizen},
	{"plagwitz@mitwirken.example", "Kanalspaziergänger", "51", app.RoleCitizen},
}

func demoAccounts(ctx context.Context, s *store.Store) error {
	hash, err := auth.HashPassword(DemoPassword)
	if err != nil {
		return err
	}
	for _, a := range demoAccountList {
		if _, err := EnsureUser(ctx, s, a.email, a.name, a.role, hash, a.ortsteil); err != nil {
			return err
		}
	}
	return nil
}

// EnsureUser returns the account with this address, creating a verified one
// when there is none.
func EnsureUser(ctx context.Context, s *store.Store, email, name string, role app.Role, passwordHash, ortsteil string) (*app.User, error) {
	if u, err := s.UserByEmail(ctx, email); err == nil {
		return u, nil
	} else if app.ErrorCode(err) != app.CodeNotFound {
		return nil, err
	}
	now := s.Now()
	u := &app.User{Email: &email, EmailVerifiedAt: &now, DisplayName: name, PasswordHash: &passwordHash,
		Role: role, Locale: "de", PrivacyConsentAt: &now, PrivacyVersion: app.PrivacyVersion}
	if ortsteil != "" {
		u.OrtsteilCode = &ortsteil
	}
	return u, s.CreateUser(ctx, u)
}
