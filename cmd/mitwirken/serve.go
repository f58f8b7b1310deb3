package main

import (
	"context"
	"fmt"

	"github.com/mitwirken/mitwirken/app/platform"
	"github.com/mitwirken/mitwirken/app/seed"
)

func runServe(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("serve", env)
	noMigrate := fs.Bool("no-migrate", false, "ausstehende Migrationen nicht anwenden (dann muss das Schema aktuell sein)")
	demo := fs.Bool("demo", false, "eine leere Datenbank mit Demo-Inhalten füllen")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := platform.FromEnv()
	if err != nil {
		return err
	}
	if *noMigrate {
		cfg.AutoMigrate = false
	}
	if *demo {
		cfg.Demo = true
	}
	p, err := platform.Open(ctx, cfg, platform.Options{LogOutput: env.stderr})
	if err != nil {
		return err
	}
	if cfg.Demo {
		if err := seed.Demo(ctx, p.Store, demoOptions(env, p)); err != nil {
			p.Close()
			return err
		}
	}
	p.Start()
	fmt.Fprintf(env.stdout, "\nmitwirken läuft auf %s\n", p.Config.BaseURL)
	if cfg.Demo {
		fmt.Fprintf(env.stdout, "Demo-Admin: %s / %s\n", seed.DemoAdminEmail, seed.DemoAdminPassword)
		if cfg.SMTPURL == "" {
			fmt.Fprintf(env.stdout, "Ohne SMTP landen E-Mails im Postausgang: %s/admin/outbox\n", p.Config.BaseURL)
		}
	}
	fmt.Fprintln(env.stdout, "Beenden mit Strg+C.")
	<-ctx.Done()
	fmt.Fprintln(env.stdout, "Fahre herunter …")
	return p.Close()
}
