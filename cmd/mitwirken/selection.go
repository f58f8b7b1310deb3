package main

import (
	"context"
	"fmt"

	"github.com/mitwirken/mitwirken/app/selection"
)

// runSelection runs the selection engine on the Sortition Foundation's CSV
// files, without a database, and verifies published draws.
func runSelection(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("bitte `selection run` oder `selection verify DRAW.json` angeben")
	}
	switch args[0] {
	case "run":
		fs := newFlags("selection run", env)
		opts := selection.RunOptions{Progress: env.stderr, Context: ctx}
		fs.StringVar(&opts.CategoriesPath, "categories", "", "categories.csv (category,name,min,max)")
		fs.StringVar(&opts.RespondentsPath, "respondents", "", "Bewerbungen als CSV (id-Spalte und eine Spalte je Kategorie)")
		fs.IntVar(&opts.PanelSize, "panel-size", 0, "Zahl der Plätze")
		alg := fs.String("algorithm", "leximin", "leximin, legacy oder uniform")
		fs.StringVar(&opts.OutDir, "out", "", "Ausgabeverzeichnis")
		fs.StringVar(&opts.Seed, "seed", "", "öffentlicher Zufallswert (optional; ohne ihn wird nur die Panelliste erzeugt)")
		fs.StringVar(&opts.SeedSource, "seed-source", "", "Beschreibung der Zufallsquelle")
		fs.StringVar(&opts.HouseholdColumn, "household-column", "", "Spalte mit dem Haushaltsschlüssel (höchstens eine Person je Haushalt)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		a, err := selection.ParseAlgorithm(*alg)
		if err != nil {
			return err
		}
		opts.Algorithm = a
		if opts.CategoriesPath == "" || opts.RespondentsPath == "" || opts.PanelSize <= 0 || opts.OutDir == "" {
			return fmt.Errorf("bitte --categories, --respondents, --panel-size und --out angeben")
		}
		rep, err := selection.RunFiles(opts)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "Ergebnis in %s: %d Dateien\n", opts.OutDir, len(rep.Files))
		for _, f := range rep.Files {
			fmt.Fprintln(env.stdout, " ", f)
		}
		return nil
	case "verify":
		if len(args) != 2 {
			return fmt.Errorf("bitte `selection verify DRAW.json` angeben")
		}
		return selection.VerifyFile(args[1], env.stdout)
	}
	return fmt.Errorf("unbekannter Befehl `selection %s`", args[0])
}
