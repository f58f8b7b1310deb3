package main

import (
	"context"
	"fmt"

	"github.com/mitwirken/mitwirken/app/seed"
)

func runSeed(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("seed", env)
	demo := fs.Bool("demo", false, "Demo-Konten und -Inhalte anlegen (idempotent)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*demo {
		return fmt.Errorf("bitte --demo angeben")
	}
	s, err := openStore(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	return seed.Demo(ctx, s, seed.Options{Out: env.stdout})
}
