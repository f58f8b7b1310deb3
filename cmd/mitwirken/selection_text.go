package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/mitwirken/mitwirken/app/events"
	"github.com/mitwirken/mitwirken/app/i18n"
	"github.com/mitwirken/mitwirken/app/selection"
)

// selectionText says everything `mitwirken selection` reports in the
// language of the run.
type selectionText struct {
	l *i18n.Localizer
}

func (t *selectionText) T(id string, args ...any) string { return t.l.T(id, args...) }

// fail is an error worded in the run's language.
func (t *selectionText) fail(id string, args ...any) error {
	return &localizedError{label: t.T("selection_cli.error_label"), msg: t.T(id, args...)}
}

var (
	flagUnknown   = regexp.MustCompile(`^(?:flag provided but not defined|bad flag syntax): (\S+)$`)
	flagNeedsArg  = regexp.MustCompile(`^flag needs an argument: (\S+)$`)
	flagBadValue  = regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for flag (\S+): `)
	dashedFlagArg = regexp.MustCompile(`^-+`)
)

// flagError rewords the flag package's English errors.
func (t *selectionText) flagError(err error) error {
	msg := err.Error()
	name := func(s string) string { return "--" + dashedFlagArg.ReplaceAllString(s, "") }
	if m := flagUnknown.FindStringSubmatch(msg); m != nil {
		return t.fail("selection_cli.flag_unknown", "Flag", name(m[1]))
	}
	if m := flagNeedsArg.FindStringSubmatch(msg); m != nil {
		return t.fail("selection_cli.flag_needs_value", "Flag", name(m[1]))
	}
	if m := flagBadValue.FindStringSubmatch(msg); m != nil {
		return t.fail("selection_cli.flag_invalid", "Flag", name(m[2]), "Value", m[1])
	}
	return t.fail("selection_cli.internal", "Err", msg)
}

// error words an error of reading the files or computing the selection.
func (t *selectionText) error(err error) error {
	var (
		fe   *selection.FileError
		pe   *fs.PathError
		inf  *selection.Infeasibility
		dead *selection.LegacyDeadEndError
	)
	switch {
	case errors.As(err, &fe):
		lines := make([]string, len(fe.Problems))
		for i, p := range fe.Problems {
			lines[i] = t.problem(fe.Path, p)
		}
		return &localizedError{label: t.T("selection_cli.error_label"), msg: strings.Join(lines, "\n")}
	case errors.As(err, &pe):
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return t.fail("selection_cli.file_missing", "File", pe.Path)
		case errors.Is(err, fs.ErrPermission):
			return t.fail("selection_cli.file_denied", "File", pe.Path)
		}
		return t.fail("selection_cli.file_unreadable", "File", pe.Path, "Reason", pe.Err.Error())
	case errors.As(err, &inf):
		lines := []string{t.T("selection_cli.infeasible")}
		for _, m := range events.ChangeMessages(inf) {
			lines = append(lines, "  – "+t.l.Msg(m))
		}
		return &localizedError{label: t.T("selection_cli.error_label"), msg: strings.Join(lines, "\n")}
	case errors.As(err, &dead):
		return t.fail("selection_cli.legacy_dead_end", "Restarts", dead.Restarts, "Completed", dead.Completed)
	case errors.Is(err, selection.ErrUniformQuotas):
		return t.fail("selection_cli.uniform_quotas")
	case errors.Is(err, selection.ErrUniformHouseholds):
		return t.fail("selection_cli.uniform_households")
	case errors.Is(err, context.Canceled):
		return t.fail("selection_cli.cancelled")
	}
	return t.fail("selection_cli.internal", "Err", err.Error())
}

// problem is one problem of a file, with the file and line in front.
func (t *selectionText) problem(path string, p selection.Problem) string {
	text := t.T("selection_cli.problem."+p.Code, argPairs(p.Args)...)
	if p.Line == 0 {
		return t.T("selection_cli.in_file", "File", path, "Text", text)
	}
	return t.T("selection_cli.in_file_line", "File", path, "Line", p.Line, "Text", text)
}

func argPairs(m map[string]any) []any {
	out := make([]any, 0, 2*len(m))
	for k, v := range m {
		out = append(out, k, v)
	}
	return out
}

func (t *selectionText) printPool(w io.Writer, opts selection.RunOptions, in *selection.Input) {
	args := []any{"People", len(in.Pool.People), "File", opts.RespondentsPath, "Column", in.IDColumn,
		"Categories", len(in.Pool.Categories), "Seats", opts.PanelSize, "Algorithm", string(opts.Algorithm)}
	id := "selection_cli.progress.pool"
	if in.IDColumn == "" {
		id = "selection_cli.progress.pool_lines"
	}
	fmt.Fprintln(w, t.T(id, args...))
}

func (t *selectionText) printProgress(w io.Writer, p selection.Progress) {
	switch {
	case p.Stage > 0:
		fmt.Fprintln(w, t.T("selection_cli.progress.stage", "Stage", p.Stage, "Panels", p.Columns, "Min", t.number(p.MinProbability, 6)))
	case p.Runs > 0:
		fmt.Fprintln(w, t.T("selection_cli.progress.legacy", "Done", p.Done, "Runs", p.Runs))
	}
}

func (t *selectionText) printResult(progress, out io.Writer, opts selection.RunOptions, rep *selection.Report) {
	d := rep.Distribution
	fmt.Fprintln(progress, t.T("selection_cli.progress.distribution", "Panels", len(d.Panels), "Min", t.number(d.Stats.Min, 4),
		"Max", t.number(d.Stats.Max, 4), "Gini", t.number(d.Stats.Gini, 4), "Duration", d.Info.Duration.Round(time.Millisecond)))
	if u := d.Info.Unselectable; len(u) > 0 {
		fmt.Fprintln(progress, t.T("selection_cli.progress.unselectable", "N", len(u), "IDs", strings.Join(u, ", ")))
	}
	if rep.Draw.ChosenIndex != nil {
		fmt.Fprintln(progress, t.T("selection_cli.progress.seed", "Seed", opts.Seed, "Index", *rep.Draw.ChosenIndex))
	}
	fmt.Fprintln(out, t.T("selection_cli.progress.written", "Dir", opts.OutDir, "N", len(rep.Files)))
	for _, f := range rep.Files {
		fmt.Fprintln(out, " ", f)
	}
}

// number writes a probability with a decimal comma in German.
func (t *selectionText) number(x float64, digits int) string {
	s := strconv.FormatFloat(x, 'f', digits, 64)
	if t.l.Lang() == "de" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
