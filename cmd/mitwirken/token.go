package main

import (
	"context"
	"fmt"

	"github.com/mitwirken/mitwirken/app/auth"
)

func runToken(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("bitte `token create --email E` angeben")
	}
	fs := newFlags("token create", env)
	email := fs.String("email", "", "E-Mail-Adresse des Kontos")
	name := fs.String("name", "Kommandozeile", "Bezeichnung des Schlüssels")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	s, err := openStore(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := s.UserByEmail(ctx, *email)
	if err != nil || u.Erased() {
		return fmt.Errorf("kein Konto mit dieser Adresse")
	}
	svc := &auth.Service{Store: s}
	plain, err := svc.CreateAPIToken(ctx, nil, u, *name)
	if err != nil {
		return explain(err)
	}
	// Only the secret goes to stdout, so scripts can capture it.
	fmt.Fprintln(env.stdout, plain)
	fmt.Fprintf(env.stderr, "Zugangsschlüssel für %s erstellt. Er wird nur jetzt angezeigt; gespeichert ist nur sein Hash.\n", u.DisplayName)
	return nil
}
