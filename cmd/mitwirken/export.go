package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/mitwirken/mitwirken/app/export"
	"github.com/mitwirken/mitwirken/app/i18n"
	"github.com/mitwirken/mitwirken/views"
)

// runExport: `mitwirken export assessment|contributions|figures --format
// xlsx|csv|json --out FILE [filters]`. Progress goes to stderr; the file is
// written next to its destination and renamed when complete.
func runExport(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		return fmt.Errorf("bitte `export assessment`, `export contributions` oder `export figures` angeben")
	}
	if !slices.Contains(export.Kinds, args[0]) {
		return fmt.Errorf("unbekannte Exportart %q: bitte eine von %s angeben", args[0], strings.Join(export.Kinds, ", "))
	}
	in := export.FilterInput{Kind: args[0]}
	fs := newFlags("export "+args[0], env)
	fs.StringVar(&in.Format, "format", export.FormatXLSX, "xlsx, csv oder json")
	out := fs.String("out", "", "Zieldatei (Pflicht)")
	fs.StringVar(&in.Chapter, "chapter", "", "nur dieses Kapitel (Adresse, z. B. wohnen)")
	fs.StringVar(&in.Channel, "channel", "", "nur dieser Kanal (online, werkstatt, stadtgebietsforum, fachforum, futurelab)")
	fs.StringVar(&in.From, "from", "", "ab diesem Tag (TT.MM.JJJJ oder JJJJ-MM-TT)")
	fs.StringVar(&in.To, "to", "", "bis einschließlich diesem Tag (TT.MM.JJJJ oder JJJJ-MM-TT)")
	fs.StringVar(&in.Stadtgebiet, "stadtgebiet", "", "nur dieses Stadtgebiet (Name oder Nummer)")
	fs.StringVar(&in.Tag, "tag", "", "nur mit diesem Schlagwort (Code, z. B. lq3 oder verkehr)")
	fs.StringVar(&in.Status, "status", "", "nur dieser Moderationsstatus")
	fs.StringVar(&in.Assessment, "assessment", "", "nur dieser Stand der Abwägung (offen, beruecksichtigt, …)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("bitte --out DATEI angeben")
	}
	if os.Getenv("GOGC") == "" {
		// The export's live heap is small and flat (a batch of rows);
		// collecting less often buys time, the soft limit keeps the peak
		// well under 150 MB.
		debug.SetGCPercent(400)
		debug.SetMemoryLimit(80 << 20)
	}
	bundle, err := i18n.Load(views.FS)
	if err != nil {
		return err
	}
	loc := bundle.Localizer("de")
	s, err := openStore(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	req, err := in.Resolve(ctx, s)
	if err != nil {
		return explain(err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".export-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	svc := &export.Service{Store: s, T: loc.T}
	n, err := svc.Run(ctx, nil, req, tmp, func(done, total int64) {
		fmt.Fprintf(env.stderr, "\r%d von %d Zeilen", done, total)
	})
	fmt.Fprintln(env.stderr)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "%d Zeilen nach %s geschrieben.\n", n, *out)
	return nil
}
