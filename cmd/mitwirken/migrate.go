package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/mitwirken/mitwirken/app/platform"
	"github.com/mitwirken/mitwirken/app/store"
)

func runMigrate(ctx context.Context, env *cliEnv, args []string) error {
	cfg, err := platform.FromEnv()
	if err != nil {
		return err
	}
	s, err := store.Open(ctx, store.Options{URL: cfg.DatabaseURL, Logger: platform.NewLogger(cfg.LogFormat, "warn", env.stderr)})
	if err != nil {
		return err
	}
	defer s.Close()
	if len(args) > 0 && args[0] == "status" {
		states, err := s.MigrationStatus(ctx)
		tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "VERSION\tNAME\tANGEWENDET")
		for _, st := range states {
			at := "ausstehend"
			if st.AppliedAt != nil {
				at = st.AppliedAt.Format("2006-01-02 15:04:05 MST")
			}
			fmt.Fprintf(tw, "%04d\t%s\t%s\n", st.Version, st.Name, at)
		}
		tw.Flush()
		return err
	}
	if len(args) > 0 {
		return fmt.Errorf("unbekannte Option %q (erlaubt: status)", args[0])
	}
	applied, err := s.Migrate(ctx)
	for _, m := range applied {
		fmt.Fprintf(env.stdout, "angewendet: %04d_%s\n", m.Version, m.Name)
	}
	if err == nil && len(applied) == 0 {
		fmt.Fprintln(env.stdout, "Das Schema ist aktuell.")
	}
	return err
}
