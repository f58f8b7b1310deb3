package main

import (
	"context"
	"os"

	"github.com/mitwirken/mitwirken/app/platform"
	"github.com/mitwirken/mitwirken/app/store"
)

// openStore connects to the configured database for maintenance commands.
// When migrate is true, pending migrations are applied first.
func openStore(ctx context.Context, migrate bool) (*store.Store, error) {
	cfg, err := platform.FromEnv()
	if err != nil {
		return nil, err
	}
	s, err := store.Open(ctx, store.Options{URL: cfg.DatabaseURL, Logger: platform.NewLogger(cfg.LogFormat, "warn", os.Stderr)})
	if err != nil {
		return nil, err
	}
	if migrate {
		if _, err := s.Migrate(ctx); err != nil {
			s.Close()
			return nil, err
		}
	} else if err := s.CheckSchema(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.UseAuditKeys(ctx, cfg.AuditSecrets()); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}
