package main

import (
	"context"
	"fmt"

	"github.com/mitwirken/mitwirken/app/similar"
)

// runSimilar maintains the index of similar contributions: `similar status`
// counts the contributions waiting for it, `similar reindex` indexes them
// now (the running platform also does it in the background), `--all`
// recomputes every contribution.
func runSimilar(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 || (args[0] != "reindex" && args[0] != "status") {
		return fmt.Errorf("bitte `similar status` oder `similar reindex [--all]` angeben")
	}
	fs := newFlags("similar "+args[0], env)
	all := fs.Bool("all", false, "alle Beiträge neu berechnen, nicht nur fehlende und veraltete")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	s, err := openStore(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	if args[0] == "status" {
		n, err := s.SimilarBacklog(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "Ähnliche Beiträge: %d Beiträge warten auf die Indizierung (Verfahren Version %d).\n", n, similar.Version)
		return nil
	}
	if *all {
		if err := s.OutdateSimilarIndex(ctx); err != nil {
			return err
		}
	}
	n, err := similar.IndexBacklog(ctx, s, func(done int) { fmt.Fprintf(env.stderr, "\rIndiziert: %d", done) })
	if n > 0 {
		fmt.Fprintln(env.stderr)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "Ähnliche Beiträge: %d Beiträge indiziert.\n", n)
	return nil
}
