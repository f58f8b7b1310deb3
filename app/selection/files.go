package selection

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

// RunOptions configure RunFiles (the "mitwirken selection run" command).
type RunOptions struct {
	CategoriesPath  string // optional: without it there are no quotas
	RespondentsPath string
	Respondents     RespondentsOptions
	PanelSize       int
	Algorithm       Algorithm // "" = leximin
	OutDir          string
	// Seed, if non-empty, performs the draw immediately (for tests and
	// trial runs; a real draw publishes draw.json first and applies the
	// seed later).
	Seed       string
	SeedSource string
	// ListSize is the number of panels in the public list (default 1000).
	ListSize int
	// LegacyRuns is the number of Monte Carlo runs for legacy.
	LegacyRuns int
	// Progress, if set, receives the computation's progress.
	Progress func(Progress)
	Context  context.Context
}

// Report summarises a RunFiles call.
type Report struct {
	Pool         Pool
	Distribution *Distribution
	List         *PanelList
	Draw         *Draw
	Files        []string // written files
}

// RunFiles reads the CSV files (ReadFiles) and runs the selection on them
// (RunPool).
func RunFiles(opts RunOptions) (*Report, error) {
	in, err := ReadFiles(opts)
	if err != nil {
		return nil, err
	}
	return RunPool(in.Pool, opts)
}

// ReadFiles reads the categories and respondents files. Problems in a file
// come as a *FileError with the file's path.
func ReadFiles(opts RunOptions) (*Input, error) {
	in := &Input{}
	if opts.CategoriesPath != "" {
		err := readFile(opts.CategoriesPath, func(r io.Reader) (err error) {
			in.Pool.Categories, err = ParseCategories(r)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	err := readFile(opts.RespondentsPath, func(r io.Reader) error {
		res, err := ParseRespondents(r, in.Pool.Categories, opts.Respondents)
		if err == nil {
			in.Pool.People, in.IDColumn = res.People, res.IDColumn
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return in, nil
}

// Input is what ReadFiles found.
type Input struct {
	Pool     Pool
	IDColumn string // respondents column with the ids ("" for line numbers)
}

func readFile(path string, parse func(io.Reader) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	err = parse(f)
	var fe *FileError
	if errors.As(err, &fe) {
		fe.Path = path
	}
	return err
}

// RunPool computes the distribution, rounds it to the panel list and
// writes probabilities.csv, panels.csv, distribution.csv, draw.json and
// report.md into OutDir.
func RunPool(pool Pool, opts RunOptions) (*Report, error) {
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	alg, err := ParseAlgorithm(string(opts.Algorithm))
	if err != nil {
		return nil, err
	}
	listSize := opts.ListSize
	if listSize == 0 {
		listSize = DefaultListSize
	}
	dist, err := Compute(ctx, pool, opts.PanelSize, Options{Algorithm: alg, LegacyRuns: opts.LegacyRuns, Progress: opts.Progress})
	if err != nil {
		return nil, err
	}
	list, err := Round(dist, listSize)
	if err != nil {
		return nil, err
	}
	draw, err := NewDraw(pool, dist, list)
	if err != nil {
		return nil, err
	}
	if opts.Seed != "" {
		if err := draw.Finalize(opts.Seed, opts.SeedSource, nil); err != nil {
			return nil, err
		}
	}
	rep := &Report{Pool: pool, Distribution: dist, List: list, Draw: draw}
	if err := os.MkdirAll(opts.OutDir, 0o755); err != nil {
		return nil, err
	}
	write := func(name string, fn func(w *bufio.Writer) error) error {
		path := filepath.Join(opts.OutDir, name)
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		w := bufio.NewWriter(f)
		if err := fn(w); err != nil {
			f.Close()
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := w.Flush(); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		rep.Files = append(rep.Files, path)
		return nil
	}
	err = errors.Join(
		write("probabilities.csv", func(w *bufio.Writer) error { return writeProbabilities(w, dist) }),
		write("panels.csv", func(w *bufio.Writer) error { return writePanels(w, list.Panels) }),
		write("distribution.csv", func(w *bufio.Writer) error { return writeDistribution(w, dist) }),
		write("draw.json", func(w *bufio.Writer) error { return WriteDraw(w, draw) }),
		write("report.md", func(w *bufio.Writer) error { return writeReport(w, rep) }),
	)
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func writeProbabilities(w io.Writer, d *Distribution) error {
	cw := csv.NewWriter(w)
	header := []string{"id", "probability"}
	if d.MonteCarlo != nil {
		header = append(header, "std_err")
	}
	cw.Write(header)
	for _, p := range d.People {
		rec := []string{p.ID, strconv.FormatFloat(p.Probability, 'f', 9, 64)}
		if d.MonteCarlo != nil {
			rec = append(rec, strconv.FormatFloat(p.StdErr, 'f', 9, 64))
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// panels.csv: entry (0-based list index), then the sorted ids of the panel.
func writePanels(w io.Writer, panels [][]string) error {
	cw := csv.NewWriter(w)
	if len(panels) > 0 {
		header := []string{"entry"}
		for j := range panels[0] {
			header = append(header, "member_"+strconv.Itoa(j+1))
		}
		cw.Write(header)
	}
	for e, p := range panels {
		cw.Write(append([]string{strconv.Itoa(e)}, p...))
	}
	cw.Flush()
	return cw.Error()
}

// distribution.csv: probability, then the sorted ids of the panel.
func writeDistribution(w io.Writer, d *Distribution) error {
	cw := csv.NewWriter(w)
	header := []string{"probability"}
	for j := 0; j < d.PanelSize; j++ {
		header = append(header, "member_"+strconv.Itoa(j+1))
	}
	cw.Write(header)
	for _, p := range d.Panels {
		cw.Write(append([]string{strconv.FormatFloat(p.Probability, 'g', 17, 64)}, p.IDs...))
	}
	cw.Flush()
	return cw.Error()
}

// WriteDraw writes a draw document as indented JSON.
func WriteDraw(w io.Writer, d *Draw) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}

// ReadDraw parses a draw document.
func ReadDraw(r io.Reader) (*Draw, error) {
	var d Draw
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("draw document: %w", err)
	}
	return &d, nil
}

// VerifyFile reads a DRAW.json and verifies it, writing one line per check
// to w. It returns nil only if every check passes.
func VerifyFile(path string, w io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	d, err := ReadDraw(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	err = verify(d, func(ok bool, msg string) {
		mark := "OK    "
		if !ok {
			mark = "FEHLER"
		}
		fmt.Fprintf(w, "%s %s\n", mark, msg)
	})
	var ve *VerifyError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Fprintf(w, "FEHLER [%s] %s\n", p.Code, p.Message)
		}
		return err
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Alle Prüfungen bestanden.\n")
	return nil
}
