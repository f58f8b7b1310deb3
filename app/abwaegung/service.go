// Package abwaegung runs the Abwägung as the city does it (docs/abwaegung.md):
// AG INSEK assigns each contribution to a lead Fachamt (and co-signing
// ones) by rules, the Fachämter draft and co-sign, AG INSEK reviews and
// publishes under the four-eyes rule. Every change is made under the
// assessment's row lock and names the version it was made on, so it holds
// across app instances.
package abwaegung

import (
	"context"
	"log/slog"
	"slices"
	"strconv"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/draft"
	"github.com/mitwirken/mitwirken/app/mail"
	"github.com/mitwirken/mitwirken/app/store"
)

// Service is the Abwägung workflow.
type Service struct {
	Store *store.Store
	// Draft publishes through the contribution pipeline (and mails authors).
	Draft *draft.Service
	// Mail may be nil (seed, CLI): then reminders are not written.
	Mail     *mail.Composer
	WakeMail func()
	Log      *slog.Logger
}

func (s *Service) wake() {
	if s.WakeMail != nil {
		s.WakeMail()
	}
}

// Access is what a person may do in the Abwägung.
type Access struct {
	User *app.User
	// Coordinator: AG INSEK (or an admin): everything.
	Coordinator bool
	// Fachaemter the person works for (with the fachamt role).
	Fachaemter []*app.Fachamt
}

// Staff reports whether the person has any part in the Abwägung.
func (a *Access) Staff() bool { return a.Coordinator || len(a.Fachaemter) > 0 }

// IDs are the ids of the person's Fachämter.
func (a *Access) IDs() []int64 {
	out := make([]int64, len(a.Fachaemter))
	for i, f := range a.Fachaemter {
		out[i] = f.ID
	}
	return out
}

// Member reports whether the person works for the Fachamt.
func (a *Access) Member(id *int64) bool {
	return id != nil && slices.Contains(a.IDs(), *id)
}

// Scope is the queue filter's scope: nil for coordinators.
func (a *Access) Scope() []int64 {
	if a.Coordinator {
		return nil
	}
	return a.IDs()
}

// AccessOf loads what u may do.
func (s *Service) AccessOf(ctx context.Context, u *app.User) (*Access, error) {
	a := &Access{User: u, Coordinator: u.Coordinates()}
	if u != nil && u.Holds(app.RoleFachamt) {
		var err error
		if a.Fachaemter, err = s.Store.MemberFachaemter(ctx, u.ID); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// CanSee reports whether the person may see an assessment of the lead
// Fachamt with these co-signers.
func (a *Access) CanSee(lead *int64, cosigners []*store.Cosigner) bool {
	if a.Coordinator || a.Member(lead) {
		return true
	}
	for _, c := range cosigners {
		if a.Member(&c.FachamtID) {
			return true
		}
	}
	return false
}

// Fachamt returns the person's Fachamt with the short name, for Fachamt
// pages; coordinators may open every Fachamt.
func (s *Service) Fachamt(ctx context.Context, a *Access, short string) (*app.Fachamt, error) {
	f, err := s.Store.FachamtByShort(ctx, short)
	if err != nil {
		return nil, err
	}
	if !a.Coordinator && !a.Member(&f.ID) {
		return nil, app.Forbidden()
	}
	return f, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
