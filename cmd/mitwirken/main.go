// Command mitwirken runs the participation platform and its maintenance
// tasks. This file only dispatches; each subcommand lives in its own file and
// calls into app/.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *cliEnv, args []string) error
}

// cliEnv is what a subcommand may use, so tests can run the CLI in-process.
type cliEnv struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

func commands() []command {
	return []command{
		{"serve", "Plattform starten (wendet ausstehende Migrationen an)", runServe},
		{"migrate", "Migrationen anwenden; `migrate status` listet sie", runMigrate},
		{"seed", "Demo-Inhalte anlegen (`seed --demo`)", runSeed},
		{"user", "Konten verwalten (`user add`, `user role`)", runUser},
		{"fachamt", "Fachämter der Abwägung (`fachamt add --short KURZ --name NAME`, `fachamt list`)", runFachamt},
		{"token", "Persönliche Zugangsschlüssel (`token create`)", runToken},
		{"audit", "Prüfprotokoll prüfen (`audit verify [--head DATEI]`) und Stand exportieren (`audit head`)", runAudit},
		{"export", "Ergebnisse exportieren (`export assessment|contributions|figures --format xlsx|csv|json --out DATEI`)", runExport},
		{"draft", "Entwurf aus Markdown-Dateien einlesen (`draft import VERZEICHNIS`)", runDraft},
		{"similar", "Index ähnlicher Beiträge (`similar status`, `similar reindex [--all]`)", runSimilar},
		{"selection", "Auswahl aus CSV-Dateien (`selection run`) und Prüfung einer Ziehung (`selection verify`)", runSelection},
		{"healthcheck", "Bereitschaft des laufenden Servers prüfen (für Container)", runHealthcheck},
		{"version", "Version anzeigen", runVersion},
	}
}

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := &cliEnv{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}
	if err := run(ctx, env, os.Args[1:]); err != nil {
		printError(env.stderr, err)
		os.Exit(1)
	}
}

// localizedError is an error already worded in the language the user
// chose for the command, with the label in that language.
type localizedError struct{ label, msg string }

func (e *localizedError) Error() string { return e.msg }

func printError(w io.Writer, err error) {
	var le *localizedError
	switch {
	case errors.Is(err, flag.ErrHelp):
	case errors.As(err, &le):
		fmt.Fprintln(w, le.label, le.msg)
	default:
		fmt.Fprintln(w, "Fehler:", err)
	}
}

func run(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.stdout)
		if len(args) == 0 {
			return flag.ErrHelp
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, env, args[1:])
		}
	}
	usage(env.stderr)
	return fmt.Errorf("unbekannter Befehl %q", args[0])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Aufruf: mitwirken BEFEHL [OPTIONEN]")
	fmt.Fprintln(w, "\nBefehle:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nKonfiguration über MITWIRKEN_*-Umgebungsvariablen, siehe README.md.")
}

func runVersion(_ context.Context, env *cliEnv, _ []string) error {
	fmt.Fprintln(env.stdout, "mitwirken", version)
	return nil
}

// newFlags makes a flag set that reports errors instead of exiting.
func newFlags(name string, env *cliEnv) *flag.FlagSet {
	fs := flag.NewFlagSet("mitwirken "+name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	return fs
}
