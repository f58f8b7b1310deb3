package seed

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/auth"
	"github.com/mitwirken/mitwirken/app/events"
	"github.com/mitwirken/mitwirken/app/store"
)

// The demo draw: a Werkstattgespräch whose applications are closed and whose
// seats were drawn with quotas (leximin), so the public draw page, the
// applicant lookup and the waiting list show real content.
const (
	DemoDrawTitle      = "Werkstattgespräch Stadtklima – Auswahl per Los"
	DemoDrawSeats      = 20
	DemoDrawApplicants = 80
	DemoDrawSeedSource = "Demo: Lottozahlen vom Samstag"
	DemoDrawSeed       = "Demo 6aus49: 3 12 19 27 38 44 / 5"
	DemoDrawWitnesses  = "Demo-Zeugin A\nDemo-Zeuge B"
)

// DemoDrawEmail is the address of the i-th synthetic applicant (1-based).
func DemoDrawEmail(i int) string { return fmt.Sprintf("los-%02d@mitwirken.example", i) }

type drawApplicant struct {
	email, name                         string
	ortsteil, age, gender, firstTimeAns string
}

// demoDrawApplicants are the synthetic applicants, generated from a fixed
// seed: more from the south and the centre, older people and returning
// participants over-represented, a few without an answer – as in a
// self-selected pool.
func demoDrawApplicants(ortsteile []string) []drawApplicant {
	r := rand.New(rand.NewPCG(2030, 4))
	pick := func(weights map[string]int, order []string) string {
		total := 0
		for _, k := range order {
			total += weights[k]
		}
		x := r.IntN(total)
		for _, k := range order {
			if x < weights[k] {
				return k
			}
			x -= weights[k]
		}
		return order[len(order)-1]
	}
	// Stadtbezirk weights (first digit of the Ortsteil code).
	bezirkWeights := map[string]int{"0": 14, "1": 5, "2": 6, "3": 7, "4": 14, "5": 12, "6": 6, "7": 4, "8": 5, "9": 10}
	byBezirk := map[string][]string{}
	var bezirke []string
	for _, code := range ortsteile {
		b := code[:1]
		if byBezirk[b] == nil {
			bezirke = append(bezirke, b)
		}
		byBezirk[b] = append(byBezirk[b], code)
	}
	ages := map[string]int{"16_29": 12, "30_44": 22, "45_64": 34, "65_plus": 26, "": 6}
	genders := map[string]int{"female": 48, "male": 44, "diverse": 3, "": 5}
	firstTime := map[string]int{"yes": 30, "no": 62, "": 8}
	out := make([]drawApplicant, 0, DemoDrawApplicants)
	for i := 1; i <= DemoDrawApplicants; i++ {
		a := drawApplicant{email: DemoDrawEmail(i), name: fmt.Sprintf("Demo-Bewerbung %02d", i)}
		if r.IntN(20) > 0 && len(bezirke) > 0 { // one in twenty leaves the Ortsteil out
			codes := byBezirk[pick(bezirkWeights, bezirke)]
			a.ortsteil = codes[r.IntN(len(codes))]
		}
		a.age = pick(ages, []string{"16_29", "30_44", "45_64", "65_plus", ""})
		a.gender = pick(genders, []string{"female", "male", "diverse", ""})
		a.firstTimeAns = pick(firstTime, []string{"yes", "no", ""})
		out = append(out, a)
	}
	return out
}

// demoDraw adds the demo draw event and runs the platform's own flow on it:
// applications, quota presets (proportional ± 1), »Bewerbungsphase beenden und
// Auslosung ankündigen« (background job, run here synchronously) and the
// draw with the moderator's seed and witnesses. Each stage is skipped when
// it is done already, so running it twice changes nothing.
func demoDraw(ctx context.Context, s *store.Store, ev *events.Service, t func(string) string) error {
	if t == nil {
		t = func(id string) string { return id }
	}
	moderator, err := s.UserByEmail(ctx, DemoModeratorEmail)
	if err != nil {
		return err
	}
	event, err := demoDrawEvent(ctx, s)
	if err != nil {
		return err
	}
	if event.DrawStatus == "" {
		if err := demoDrawApplications(ctx, s, event); err != nil {
			return err
		}
		if err := demoDrawQuotas(ctx, s, ev, moderator, event, t); err != nil {
			return err
		}
		if err := demoDrawAnnounce(ctx, s, ev, moderator, event); err != nil {
			return err
		}
		if event, err = s.EventByID(ctx, event.ID); err != nil {
			return err
		}
	}
	if event.DrawStatus == app.DrawAnnounced {
		_, err := ev.RunDraw(ctx, moderator, event.ID, app.DrawInput{Seed: DemoDrawSeed, Witnesses: DemoDrawWitnesses})
		return err
	}
	return nil
}

// demoDrawEvent finds the demo draw event by its title or creates it.
func demoDrawEvent(ctx context.Context, s *store.Store) (*app.Event, error) {
	var found []*app.Event
	if err := s.Gorm().WithContext(ctx).Where("title = ?", DemoDrawTitle).Limit(1).Find(&found).Error; err != nil {
		return nil, err
	}
	if len(found) > 0 {
		return found[0], nil
	}
	now := s.Now()
	day := now.In(app.Berlin).AddDate(0, 0, 21)
	start := time.Date(day.Year(), day.Month(), day.Day(), 18, 0, 0, 0, app.Berlin)
	in := app.EventInput{
		Title: DemoDrawTitle, Format: string(app.FormatWorkshop), Allocation: string(app.AllocSelection),
		Description: "Hitze, Starkregen, Stadtgrün: Wie passt sich Leipzig dem Klimawandel an? Die 20 Plätze wurden unter " +
			"den Bewerbungen ausgelost – fair (jede Bewerbung hat eine möglichst hohe Chance) und mit Quoten für Stadtgebiet, " +
			"Altersgruppe und Geschlecht. Die Auslosung ist öffentlich überprüfbar.\n\n" +
			"**Demo:** Die Bewerbungen sind erfundene Beispielkonten, der Zufallswert ist ein Beispiel.",
		Themes: []string{"umwelt-klima", "freiraum-sport"}, Venue: "Stadtbüro Leipzig", Address: stadtbuero,
		VenueAccess: stadtbueroAccess, StepFree: true, StartsAt: app.LocalInput(start),
		EndsAt: app.LocalInput(start.Add(150 * time.Minute)), Capacity: app.N(DemoDrawSeats),
		RegistrationClosesAt: app.LocalInput(start.AddDate(0, 0, -4)),
	}
	in.Clean()
	if err := in.Validate(now); err != nil {
		return nil, err
	}
	return s.CreateEvent(ctx, nil, &in)
}

// demoDrawApplications registers the synthetic applicants who have not
// applied yet (with their consented answers).
func demoDrawApplications(ctx context.Context, s *store.Store, event *app.Event) error {
	applied, err := s.SelectionApplicants(ctx, event.ID)
	if err != nil {
		return err
	}
	have := map[int64]bool{}
	for _, a := range applied {
		if a.Registration.UserID != nil {
			have[*a.Registration.UserID] = true
		}
	}
	ref, err := s.LoadRefData(ctx)
	if err != nil {
		return err
	}
	codes := make([]string, 0, len(ref.Ortsteile))
	for _, o := range ref.Ortsteile {
		codes = append(codes, o.Code)
	}
	hash, err := auth.HashPassword(DemoPassword)
	if err != nil {
		return err
	}
	for _, a := range demoDrawApplicants(codes) {
		u, err := EnsureUser(ctx, s, a.email, a.name, app.RoleCitizen, hash, a.ortsteil)
		if err != nil {
			return err
		}
		if have[u.ID] {
			continue
		}
		in := app.RegistrationInput{AnswerOrtsteil: a.ortsteil, AnswerAge: a.age, AnswerGender: a.gender, AnswerFirstTime: a.firstTimeAns}
		in.AnswersConsent = in.AnswerOrtsteil != "" || in.AnswerAge != "" || in.AnswerGender != "" || in.AnswerFirstTime != ""
		in.Clean()
		if err := in.Validate(app.AllocSelection); err != nil {
			return err
		}
		reg := &app.Registration{UserID: &u.ID, Kind: app.KindPublic}
		in.ApplyTo(reg)
		err = s.Tx(ctx, func(tx *store.Store) error {
			_, _, err := tx.RegisterSeat(ctx, event.ID, reg, func(*app.Event) error { return nil },
				func(*store.Store, *app.Event, int) error { return nil })
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// demoDrawQuotas adds the presets Stadtgebiet, Altersgruppe and Geschlecht
// with the starting seats the platform proposes (proportional ± 1).
func demoDrawQuotas(ctx context.Context, s *store.Store, ev *events.Service, actor *app.User, event *app.Event, t func(string) string) error {
	cats, err := s.SelectionCategories(ctx, event.ID)
	if err != nil || len(cats) > 0 {
		return err
	}
	for _, src := range []string{app.SourceStadtgebiet, app.SourceAge, app.SourceGender} {
		if err := ev.AddCategory(ctx, actor, event, app.SelectionCategoryInput{Source: src}, t); err != nil {
			return err
		}
	}
	return nil
}

// demoDrawAnnounce closes applications and computes the draw as the admin
// page does: RequestDraw queues the job, RunSelectionJobs is what the job
// runner calls (here until the job has ended, in case the instance's own
// kick claimed it first).
func demoDrawAnnounce(ctx context.Context, s *store.Store, ev *events.Service, actor *app.User, event *app.Event) error {
	j, err := s.SelectionJobOf(ctx, event.ID)
	if err != nil && app.ErrorCode(err) != app.CodeNotFound {
		return err
	}
	if j == nil || j.Status == app.JobFailed {
		announced, err := ev.RequestDraw(ctx, actor, event.ID, app.DrawAnnounceInput{SeedSource: DemoDrawSeedSource})
		var inf *events.InfeasibleError
		if errors.As(err, &inf) {
			return fmt.Errorf("Quoten nicht erfüllbar: %v", inf.Changes)
		}
		if err != nil || announced {
			return err
		}
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if _, err := ev.RunSelectionJobs(ctx); err != nil {
			return err
		}
		j, err := s.SelectionJobOf(ctx, event.ID)
		if err != nil {
			return err
		}
		switch {
		case j.Status == app.JobDone:
			return nil
		case j.Status == app.JobFailed:
			return fmt.Errorf("Auslosung nicht berechnet: %s", j.Error)
		case time.Now().After(deadline):
			return fmt.Errorf("Auslosung nach 2 Minuten noch nicht berechnet (%s)", j.Status)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}
