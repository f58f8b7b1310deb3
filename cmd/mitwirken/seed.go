package main

import (
	"context"
	"fmt"

	"github.com/mitwirken/mitwirken/app/platform"
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
	cfg, err := platform.FromEnv()
	if err != nil {
		return err
	}
	// The demo draw needs the platform's services, not its HTTP server:
	// listen on a free port so a running instance is not in the way, and
	// keep the links in queued mails pointing at the configured address.
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://" + cfg.Addr
	}
	cfg.Addr, cfg.AutoMigrate = "127.0.0.1:0", true
	p, err := platform.Open(ctx, cfg, platform.Options{LogOutput: env.stderr})
	if err != nil {
		return err
	}
	defer p.Close()
	if err := seed.Demo(ctx, p.Store, demoOptions(env, p)); err != nil {
		return err
	}
	if *contributions > 0 {
		return seed.Contributions(ctx, p.Store, *contributions, env.stderr)
	}
	return nil
}

// demoOptions lets the demo run the draw through the platform's events
// service (serve --demo and seed --demo).
func demoOptions(env *cliEnv, p *platform.Platform) seed.Options {
	de := p.I18n.Localizer("de")
	return seed.Options{Out: env.stdout, Events: p.Events, T: func(id string) string { return de.T(id) }}
}
