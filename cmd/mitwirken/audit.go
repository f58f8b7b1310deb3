package main

import (
	"context"
	"fmt"
	"os"

	"github.com/mitwirken/mitwirken/app/store"
)

func runAudit(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "head") {
		return fmt.Errorf("bitte `audit verify [--head DATEI]` oder `audit head` angeben")
	}
	fs := newFlags("audit "+args[0], env)
	headFile := ""
	if args[0] == "verify" {
		fs.StringVar(&headFile, "head", "", "zusätzlich gegen einen mit `audit head` exportierten Stand prüfen")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	s, err := openStore(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	if args[0] == "head" {
		h, err := s.AuditHead(ctx)
		if err != nil {
			return err
		}
		fmt.Fprint(env.stdout, h.String())
		return nil
	}
	var exported *store.SignedAuditHead
	if headFile != "" {
		raw, err := os.ReadFile(headFile)
		if err != nil {
			return err
		}
		if exported, err = store.ParseAuditHead(string(raw)); err != nil {
			return fmt.Errorf("%s: %w", headFile, err)
		}
	}
	checked, broken, err := s.VerifyAuditAgainst(ctx, exported)
	if err != nil {
		return err
	}
	if broken != nil {
		return fmt.Errorf("Prüfprotokoll beschädigt bei Eintrag %d: %s (%d Einträge davor sind intakt)", broken.ID, broken.Reason, checked)
	}
	fmt.Fprintf(env.stdout, "Prüfprotokoll intakt: %d Einträge geprüft.\n", checked)
	if exported != nil {
		fmt.Fprintf(env.stdout, "Der exportierte Stand (Eintrag %d vom %s) ist enthalten.\n", exported.LastID, exported.At.Format("02.01.2006 15:04 MST"))
	}
	return nil
}
