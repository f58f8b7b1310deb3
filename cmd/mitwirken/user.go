package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/auth"
	"github.com/mitwirken/mitwirken/app/i18n"
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
	role := fs.String("role", string(app.RoleCitizen), "Rolle: citizen, moderator oder admin")
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
	if !app.Role(*role).Valid() {
		v.Add("role", "form.choice_invalid")
	}
	if err := v.Err(); err != nil {
		return explain(err)
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
	u := &app.User{Email: &addr, EmailVerifiedAt: &now, DisplayName: display, PasswordHash: &hash, Role: app.Role(*role), Locale: "de"}
	if _, err := s.UserByEmail(ctx, addr); err == nil {
		return fmt.Errorf("es gibt bereits ein Konto mit %s", addr)
	}
	if err := s.CreateUser(ctx, u); err != nil {
		return explain(err)
	}
	fmt.Fprintf(env.stdout, "Konto %d angelegt: %s (%s), Rolle %s\n", u.ID, display, addr, u.Role)
	return nil
}

func userRole(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("user role", env)
	email := fs.String("email", "", "E-Mail-Adresse des Kontos")
	role := fs.String("role", "", "neue Rolle: citizen, moderator oder admin")
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
