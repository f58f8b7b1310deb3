package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/auth"
	"github.com/mitwirken/mitwirken/app/i18n"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/views"
)

func runUser(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("bitte `user add` oder `user role` angeben")
	}
	switch args[0] {
	case "add":
		return userAdd(ctx, env, args[1:])
	case "role":
		return userRole(ctx, env, args[1:])
	}
	return fmt.Errorf("unbekannter Befehl `user %s`", args[0])
}

// userAdd creates an account whose address counts as verified, for staff
// accounts set up by the city's IT team.
func userAdd(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("user add", env)
	email := fs.String("email", "", "E-Mail-Adresse")
	name := fs.String("name", "", "öffentlicher Anzeigename")
	role := fs.String("role", string(app.RoleCitizen), "Rolle: citizen, moderator, admin, fachamt oder ag_insek")
	fachamt := fs.String("fachamt", "", "bei --role fachamt: Kürzel des Fachamts (mehrere mit Komma)")
	fromStdin := fs.Bool("password-stdin", false, "Passwort aus der Standardeingabe lesen")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*fromStdin {
		return fmt.Errorf("bitte --password-stdin angeben und das Passwort über die Standardeingabe übergeben")
	}
	password, err := bufio.NewReader(env.stdin).ReadString('\n')
	if err != nil && password == "" {
		return fmt.Errorf("kein Passwort auf der Standardeingabe")
	}
	password = strings.TrimRight(password, "\r\n")

	addr, display := app.NormalizeEmail(*email), app.CleanLine(*name)
	var v app.Validator
	v.Email("email", addr)
	app.ValidateDisplayName(&v, "name", display)
	app.ValidatePassword(&v, "password", password, addr)
	if !app.Role(*role).Valid() && !app.Role(*role).Grantable() {
		v.Add("role", "form.choice_invalid")
	}
	if err := v.Err(); err != nil {
		return explain(err)
	}
	base, grant := app.Role(*role), app.Role("")
	if base.Grantable() {
		base, grant = app.RoleCitizen, base
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	now := s.Now()
	u := &app.User{Email: &addr, EmailVerifiedAt: &now, DisplayName: display, PasswordHash: &hash, Role: base, Locale: "de"}
	if _, err := s.UserByEmail(ctx, addr); err == nil {
		return fmt.Errorf("es gibt bereits ein Konto mit %s", addr)
	}
	if grant == app.RoleFachamt && *fachamt == "" {
		return fmt.Errorf("--fachamt: bitte das Kürzel des Fachamts angeben (mehrere mit Komma)")
	}
	if err := s.CreateUser(ctx, u); err != nil {
		return explain(err)
	}
	if grant != "" {
		if err := grantRole(ctx, s, u.ID, grant, *fachamt); err != nil {
			return err
		}
	}
	fmt.Fprintf(env.stdout, "Konto %d angelegt: %s (%s), Rolle %s\n", u.ID, display, addr, *role)
	return nil
}

func userRole(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("user role", env)
	email := fs.String("email", "", "E-Mail-Adresse des Kontos")
	role := fs.String("role", "", "neue Rolle: citizen, moderator oder admin; oder zusätzlich fachamt bzw. ag_insek")
	fachamt := fs.String("fachamt", "", "bei --role fachamt: Kürzel des Fachamts (mehrere mit Komma)")
	revoke := fs.Bool("revoke", false, "die zusätzliche Rolle (fachamt, ag_insek) entziehen; bei fachamt mit --fachamt nur diese Mitgliedschaften")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, err := openStore(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := s.UserByEmail(ctx, *email)
	if err != nil {
		return fmt.Errorf("kein Konto mit %s", app.NormalizeEmail(*email))
	}
	if r := app.Role(*role); r.Grantable() {
		if *revoke {
			return revokeRole(ctx, env, s, u, r, *fachamt)
		}
		if err := grantRole(ctx, s, u.ID, r, *fachamt); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "%s hat jetzt zusätzlich die Rolle %s%s\n", u.DisplayName, r, prefixed(" für ", *fachamt))
		return nil
	}
	if err := s.SetRole(ctx, nil, u.ID, app.Role(*role)); err != nil {
		return explain(err)
	}
	fmt.Fprintf(env.stdout, "Rolle von %s ist jetzt %s\n", u.DisplayName, *role)
	return nil
}

// explain turns a domain error into German text for the terminal.
func explain(err error) error {
	e, ok := app.AsError(err)
	if !ok {
		return err
	}
	bundle, lerr := i18n.Load(views.FS)
	if lerr != nil {
		return err
	}
	loc := bundle.Localizer("de")
	if len(e.Fields) == 0 {
		return fmt.Errorf("%s", loc.Msg(e.Msg))
	}
	var parts []string
	for _, f := range e.Fields {
		parts = append(parts, fmt.Sprintf("--%s: %s", f.Field, loc.Msg(f.Msg)))
	}
	return fmt.Errorf("%s", strings.Join(parts, "; "))
}

// revokeRole takes a grantable role (or, with shorts, only those Fachamt
// memberships) away.
func revokeRole(ctx context.Context, env *cliEnv, s *store.Store, u *app.User, r app.Role, shorts string) error {
	if r == app.RoleFachamt && shorts != "" {
		for _, short := range strings.Split(shorts, ",") {
			f, err := s.FachamtByShort(ctx, short)
			if err != nil {
				return fmt.Errorf("--fachamt: kein Fachamt mit dem Kürzel %q", strings.TrimSpace(short))
			}
			if err := s.SetMembership(ctx, nil, u.ID, f.ID, false); err != nil {
				return explain(err)
			}
		}
		fmt.Fprintf(env.stdout, "%s arbeitet nicht mehr für %s\n", u.DisplayName, shorts)
		return nil
	}
	if err := s.SetGrant(ctx, nil, u.ID, r, false); err != nil {
		return explain(err)
	}
	fmt.Fprintf(env.stdout, "%s hat die Rolle %s nicht mehr\n", u.DisplayName, r)
	return nil
}
