package main

import (
	"context"
	"fmt"

	"github.com/mitwirken/mitwirken/app/seed"
)

func runSeed(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("seed", env)
	demo := fs.Bool("demo", false, "Demo-Konten und -Inhalte anlegen (idempotent)")
	contributions := fs.Int("contributions", 0, "zusätzlich N synthetische Anregungen anlegen (Demos, Benchmarks)")
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
	if err := seed.Demo(ctx, s, seed.Options{Out: env.stdout}); err != nil {
		return err
	}
	if *contributions > 0 {
		return seed.Contributions(ctx, s, *contributions, env.stderr)
	}
	return nil
}
