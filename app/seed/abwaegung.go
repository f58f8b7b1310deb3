package seed

import (
	"context"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/abwaegung"
	"github.com/mitwirken/mitwirken/app/auth"
	"github.com/mitwirken/mitwirken/app/draft"
	"github.com/mitwirken/mitwirken/app/store"
)

// Demo staff of the Abwägung (password DemoPassword).
const (
	DemoAgInsekEmail = "ag-insek@mitwirken.example"
	DemoASWEmail     = "asw@mitwirken.example"
	DemoVTAEmail     = "vta@mitwirken.example"
)

// demoFachaemter are the offices responsible for the demo chapters, with a
// short name each (the chapters name them in demoChapters).
var demoFachaemter = []struct{ short, name string }{
	{"SPA", "Stadtplanungsamt (AG INSEK)"},
	{"ASW", "Amt für Wohnungsbau und Stadterneuerung"},
	{"AfW", "Amt für Wirtschaftsförderung"},
	{"ASG", "Amt für Stadtgrün und Gewässer"},
	{"ASP", "Amt für Sport"},
	{"SOZ", "Sozialamt"},
	{"KA", "Kulturamt"},
	{"VTA", "Verkehrs- und Tiefbauamt"},
	{"RNK", "Referat Nachhaltige Entwicklung und Klimaschutz"},
	{"RWH", "Referat Wissenschaft und Hochschulen"},
	{"OA", "Ordnungsamt"},
	{"AfS", "Amt für Schule"},
}

// demoAbwaegung adds the Fachämter of the demo chapters, their rules (each
// chapter to its office; traffic and climate tags co-signed by VTA and
// RNK), demo staff, a round with a deadline three weeks ahead, and
// assessments in several states: drafted, in review, returned, published.
func demoAbwaegung(ctx context.Context, s *store.Store) error {
	if _, err := s.FachamtByShort(ctx, "ASW"); err == nil {
		return nil
	} else if app.ErrorCode(err) != app.CodeNotFound {
		return err
	}
	admin, err := s.UserByEmail(ctx, DemoAdminEmail)
	if err != nil {
		return err
	}
	byName := map[string]string{}
	for _, f := range demoFachaemter {
		if _, err := s.SaveFachamt(ctx, admin, 0, app.FachamtInput{Short: f.short, Name: f.name, Active: true}); err != nil {
			return err
		}
		byName[f.name] = f.short
	}
	for _, dc := range demoChapters {
		if _, err := s.AddRule(ctx, admin, app.RuleInput{Kind: app.RuleChapter, Value: dc.slug, Fachamt: byName[dc.fachamt], Role: app.RuleLead}); err != nil {
			return err
		}
	}
	for _, r := range []app.RuleInput{{Kind: app.RuleTag, Value: "verkehr", Fachamt: "VTA", Role: app.RuleCosign},
		{Kind: app.RuleTag, Value: "umwelt-klima", Fachamt: "RNK", Role: app.RuleCosign}} {
		if _, err := s.AddRule(ctx, admin, r); err != nil {
			return err
		}
	}
	hash, err := auth.HashPassword(DemoPassword)
	if err != nil {
		return err
	}
	staff := map[string]*app.User{}
	for _, p := range []struct{ email, name, short string }{
		{DemoAgInsekEmail, "AG INSEK Prüferin", ""}, {DemoASWEmail, "ASW Sachbearbeitung", "ASW"}, {DemoVTAEmail, "VTA Sachbearbeitung", "VTA"},
	} {
		u, err := EnsureUser(ctx, s, p.email, p.name, app.RoleCitizen, hash, "")
		if err != nil {
			return err
		}
		role := app.RoleAgInsek
		if p.short != "" {
			role = app.RoleFachamt
			f, err := s.FachamtByShort(ctx, p.short)
			if err != nil {
				return err
			}
			if err := s.SetMembership(ctx, admin, u.ID, f.ID, true); err != nil {
				return err
			}
		}
		if err := s.SetGrant(ctx, admin, u.ID, role, true); err != nil {
			return err
		}
		u.Grants = []app.Role{role}
		staff[p.email] = u
	}
	svc := &abwaegung.Service{Store: s, Draft: &draft.Service{Store: s}}
	if _, _, err := svc.ApplyRules(ctx, admin, true, 1000); err != nil {
		return err
	}
	deadline := s.Now().In(app.Berlin).AddDate(0, 0, 21).Format("2006-01-02")
	if _, _, err := s.StartRound(ctx, admin, app.RoundInput{Name: "Erste Runde (Entwurf)", Deadline: deadline}); err != nil {
		return err
	}
	return demoAssessments(ctx, s, svc, staff)
}

// demoAssessments moves some demo contributions along the workflow.
func demoAssessments(ctx context.Context, s *store.Store, svc *abwaegung.Service, staff map[string]*app.User) error {
	ag := &abwaegung.Access{User: staff[DemoAgInsekEmail], Coordinator: true}
	access := func(email, short string) (*abwaegung.Access, []*store.QueueRow, error) {
		f, err := s.FachamtByShort(ctx, short)
		if err != nil {
			return nil, nil, err
		}
		rows, _, _, err := s.AssessmentQueue(ctx, store.AssessmentFilter{FachamtID: f.ID, Role: app.RuleLead, State: app.StateOpen, PerPage: 10})
		return &abwaegung.Access{User: staff[email], Fachaemter: []*app.Fachamt{f}}, rows, err
	}
	asw, aswRows, err := access(DemoASWEmail, "ASW")
	if err != nil {
		return err
	}
	vta, vtaRows, err := access(DemoVTAEmail, "VTA")
	if err != nil {
		return err
	}
	write := func(acc *abwaegung.Access, r *store.QueueRow, in app.DraftInput, steps ...string) error {
		in.Version = r.Version
		a, err := svc.SaveDraft(ctx, acc, r.ContributionID, in, abwaegung.SourceWeb)
		if err != nil {
			return err
		}
		for _, step := range steps {
			who := acc
			if step == app.ActPublish || step == app.ActReturn {
				who = ag
			}
			comment := ""
			if step == app.ActReturn {
				comment = "Bitte auf das Baulandmodell verweisen."
			}
			if a, err = svc.Transition(ctx, who, r.ContributionID, app.TransitionInput{Action: step, Version: a.Version, Comment: comment}); err != nil {
				return err
			}
		}
		return nil
	}
	if len(aswRows) >= 2 {
		if err := write(asw, aswRows[0], app.DraftInput{Result: app.AssessPartly, Reasoning: "Nachverdichtung erfolgt nur mit Ersatzpflanzungen; Innenhöfe mit Baumbestand werden in der Baugenehmigung geprüft."}); err != nil {
			return err
		}
		if err := write(asw, aswRows[1], app.DraftInput{Result: app.AssessConsidered, Reasoning: "Barrierefreie Wohnungen werden in das Fachkonzept aufgenommen."}, app.ActSubmit, app.ActReturn); err != nil {
			return err
		}
	}
	if len(vtaRows) >= 2 {
		if err := write(vta, vtaRows[0], app.DraftInput{Result: app.AssessNoted, Reasoning: "Die Taktung der Linien 1 und 15 wird im Nahverkehrsplan geprüft."}, app.ActSubmit); err != nil {
			return err
		}
		if err := write(vta, vtaRows[1], app.DraftInput{Result: app.AssessConsidered, Reasoning: "Fahrradbügel an Haltestellen sind Teil des Radverkehrsprogramms.",
			ChangeAnchor: "p-4", ChangeText: "Radwege werden durchgängig, sicher und breit genug für den wachsenden Radverkehr gestaltet. Schulwege haben dabei Vorrang; an Haltestellen gibt es Fahrradbügel."}, app.ActSubmit, app.ActPublish); err != nil {
			return err
		}
	}
	return nil
}
