package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/mitwirken/mitwirken/app/i18n"
	"github.com/mitwirken/mitwirken/app/selection"
	"github.com/mitwirken/mitwirken/views"
)

// runSelection runs the selection engine on the Sortition Foundation's CSV
// files, without a database, and verifies published draws. Every message
// of a run is in one language: German, or English with --lang en.
func runSelection(ctx context.Context, env *cliEnv, args []string) error {
	lang, err := selectionLang(args)
	if err != nil {
		return err
	}
	bundle, err := i18n.Load(views.FS)
	if err != nil {
		return err
	}
	t := &selectionText{l: bundle.Localizer(lang)}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return t.fail("selection_cli.need_subcommand")
	}
	switch args[0] {
	case "run":
		return runSelectionFiles(ctx, env, t, args[1:])
	case "verify":
		if lang != "de" {
			// Its check lines come from the engine, in German.
			return t.fail("selection_cli.verify_german_only")
		}
		rest := withoutLang(args[1:])
		if len(rest) != 1 {
			return t.fail("selection_cli.verify_args")
		}
		return selection.VerifyFile(rest[0], env.stdout)
	}
	return t.fail("selection_cli.unknown_subcommand", "Name", args[0])
}

func runSelectionFiles(ctx context.Context, env *cliEnv, t *selectionText, args []string) error {
	fs := flag.NewFlagSet("mitwirken selection run", flag.ContinueOnError)
	opts := selection.RunOptions{Context: ctx}
	fs.StringVar(&opts.CategoriesPath, "categories", "", t.T("selection_cli.flag.categories"))
	fs.StringVar(&opts.RespondentsPath, "respondents", "", t.T("selection_cli.flag.respondents"))
	fs.StringVar(&opts.Respondents.IDColumn, "id-column", "", t.T("selection_cli.flag.id_column"))
	fs.BoolVar(&opts.Respondents.LineIDs, "line-ids", false, t.T("selection_cli.flag.line_ids"))
	fs.StringVar(&opts.Respondents.HouseholdColumn, "household-column", "", t.T("selection_cli.flag.household_column"))
	fs.IntVar(&opts.PanelSize, "panel-size", 0, t.T("selection_cli.flag.panel_size"))
	alg := fs.String("algorithm", "", t.T("selection_cli.flag.algorithm"))
	fs.StringVar(&opts.OutDir, "out", "", t.T("selection_cli.flag.out"))
	fs.StringVar(&opts.Seed, "seed", "", t.T("selection_cli.flag.seed"))
	fs.StringVar(&opts.SeedSource, "seed-source", "", t.T("selection_cli.flag.seed_source"))
	fs.String("lang", "", t.T("selection_cli.flag.lang"))
	usage := func() {
		fmt.Fprintln(env.stderr, t.T("selection_cli.usage"))
		fs.SetOutput(env.stderr)
		fs.PrintDefaults()
	}
	// The flag package words its errors in English; they are said again
	// in the run's language below.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		usage()
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return t.flagError(err)
	}
	if fs.NArg() > 0 {
		usage()
		return t.fail("selection_cli.flag_unknown", "Flag", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var missing []string
	for _, name := range []string{"respondents", "panel-size", "out"} {
		if !set[name] {
			missing = append(missing, "--"+name)
		}
	}
	switch {
	case len(missing) > 0:
		usage()
		return t.fail("selection_cli.missing_flags", "Flags", strings.Join(missing, ", "))
	case opts.PanelSize == 0:
		return t.fail("selection_cli.panel_size_zero")
	case opts.PanelSize < 0:
		return t.fail("selection_cli.panel_size_negative", "N", opts.PanelSize)
	case opts.Respondents.IDColumn != "" && opts.Respondents.LineIDs:
		return t.fail("selection_cli.id_options_conflict")
	}
	a, err := selection.ParseAlgorithm(*alg)
	if err != nil {
		return t.fail("selection_cli.unknown_algorithm", "Name", *alg)
	}
	opts.Algorithm = a

	in, err := selection.ReadFiles(opts)
	if err != nil {
		return t.error(err)
	}
	t.printPool(env.stderr, opts, in)
	opts.Progress = func(p selection.Progress) { t.printProgress(env.stderr, p) }
	rep, err := selection.RunPool(in.Pool, opts)
	if err != nil {
		return t.error(err)
	}
	t.printResult(env.stderr, env.stdout, opts, rep)
	return nil
}

// selectionLang finds --lang before the flags are parsed, so that flag
// errors and the help come in that language too.
func selectionLang(args []string) (string, error) {
	lang := "" // the last one counts, as with every flag
	for i, a := range args {
		switch {
		case (a == "--lang" || a == "-lang") && i+1 < len(args):
			lang = args[i+1]
		case strings.HasPrefix(a, "--lang=") || strings.HasPrefix(a, "-lang="):
			lang = a[strings.Index(a, "=")+1:]
		}
	}
	switch lang {
	case "":
		return "de", nil
	case "de", "en":
		return lang, nil
	}
	return "", fmt.Errorf("--lang %s: bitte de oder en angeben / please give de or en", lang)
}

// withoutLang drops --lang and its value (for verify, which has no other
// options).
func withoutLang(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--lang" || a == "-lang":
			i++
		case strings.HasPrefix(a, "--lang=") || strings.HasPrefix(a, "-lang="):
		default:
			out = append(out, a)
		}
	}
	return out
}
