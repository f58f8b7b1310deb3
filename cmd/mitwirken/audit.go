package main

import (
	"context"
	"fmt"
)

func runAudit(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		return fmt.Errorf("bitte `audit verify` angeben")
	}
	s, err := openStore(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	checked, broken, err := s.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if broken != nil {
		return fmt.Errorf("Prüfprotokoll beschädigt bei Eintrag %d: %s (%d Einträge davor sind intakt)", broken.ID, broken.Reason, checked)
	}
	fmt.Fprintf(env.stdout, "Prüfprotokoll intakt: %d Einträge geprüft.\n", checked)
	return nil
}
