package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

func runFachamt(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("bitte `fachamt add` oder `fachamt list` angeben")
	}
	switch args[0] {
	case "add":
		return fachamtAdd(ctx, env, args[1:])
	case "list":
		return fachamtList(ctx, env, args[1:])
	}
	return fmt.Errorf("unbekannter Befehl `fachamt %s`", args[0])
}

// fachamtAdd creates a Fachamt (audited without an actor: the command line).
func fachamtAdd(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("fachamt add", env)
	short := fs.String("short", "", "Kürzel, z. B. ASW")
	name := fs.String("name", "", "Name des Fachamts")
	email := fs.String("email", "", "Funktionspostfach (freiwillig)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, err := openStore(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	f, err := s.SaveFachamt(ctx, nil, 0, app.FachamtInput{Short: *short, Name: *name, Email: *email, Active: true})
	if err != nil {
		return explain(err)
	}
	fmt.Fprintf(env.stdout, "Fachamt %s angelegt: %s\n", f.Short, f.Name)
	return nil
}

// fachamtList prints the Fachämter with their staff count.
func fachamtList(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("fachamt list", env)
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, err := openStore(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	list, err := s.Fachaemter(ctx, true)
	if err != nil {
		return err
	}
	for _, f := range list {
		staff, err := s.FachamtStaff(ctx, f.ID)
		if err != nil {
			return err
		}
		state := "aktiv"
		if !f.Active {
			state = "inaktiv"
		}
		fmt.Fprintf(env.stdout, "%-8s %s (%s, %d Mitarbeitende)%s\n", f.Short, f.Name, state, len(staff), prefixed(" – ", f.Email))
	}
	return nil
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

// grantRole gives a person a grantable role and, for fachamt, the
// memberships named in shorts (comma-separated).
func grantRole(ctx context.Context, s *store.Store, userID int64, role app.Role, shorts string) error {
	if role == app.RoleFachamt && strings.TrimSpace(shorts) == "" {
		return fmt.Errorf("--fachamt: bitte das Kürzel des Fachamts angeben (mehrere mit Komma)")
	}
	for _, short := range strings.Split(shorts, ",") {
		if strings.TrimSpace(short) == "" {
			continue
		}
		f, err := s.FachamtByShort(ctx, short)
		if err != nil {
			return fmt.Errorf("--fachamt: kein Fachamt mit dem Kürzel %q", strings.TrimSpace(short))
		}
		if err := s.SetMembership(ctx, nil, userID, f.ID, true); err != nil {
			return explain(err)
		}
	}
	return explain(s.SetGrant(ctx, nil, userID, role, true))
}
