package export

import (
	"bufio"
	"encoding/csv"
	"io"
	"os"
)

// xlsxWriter writes the overview as the first sheet and one sheet per
// section. The rows of a section go to a temporary CSV file first; the
// workbook is made when all rows are known (book: one large sheet in
// memory at a time). Every cell of a section is a string cell: nothing
// typed by people becomes a formula.
type xlsxWriter struct {
	out      io.Writer
	book     *book
	layout   sheetLayout
	sections []*xlsxSection
}

// xlsxSection is a section's rows in a temporary file.
type xlsxSection struct {
	name string
	file *os.File
	buf  *bufio.Writer
	csv  *csv.Writer
	rows int
}

func newXLSXWriter(out io.Writer, header []string, overview string) (*xlsxWriter, error) {
	b, err := newBook(overview)
	if err != nil {
		return nil, err
	}
	widths := make([]float64, len(columns))
	for i, c := range columns {
		widths[i] = c.width
	}
	return &xlsxWriter{out: out, book: b, layout: sheetLayout{header: header, widths: widths}}, nil
}

func (x *xlsxWriter) Section(title string) error {
	if err := x.endSection(); err != nil {
		return err
	}
	f, err := os.CreateTemp("", "mitwirken-export-*.csv")
	if err != nil {
		return err
	}
	buf := bufio.NewWriterSize(f, 64<<10)
	x.sections = append(x.sections, &xlsxSection{name: x.book.sheetName(title), file: f, buf: buf, csv: csv.NewWriter(buf)})
	return nil
}

func (x *xlsxWriter) Row(_ *Record, cells []string) error {
	s := x.sections[len(x.sections)-1]
	s.rows++
	return s.csv.Write(cells)
}

// endSection writes the buffered rows of the last section to its file.
func (x *xlsxWriter) endSection() error {
	if len(x.sections) == 0 {
		return nil
	}
	s := x.sections[len(x.sections)-1]
	s.csv.Flush()
	if err := s.csv.Error(); err != nil {
		return err
	}
	return s.buf.Flush()
}

func (x *xlsxWriter) Close(overview [][]string) error {
	defer x.discard()
	if err := x.endSection(); err != nil {
		return err
	}
	if len(overview) > 0 {
		widths := make([]float64, len(overview[0]))
		for i := range widths {
			widths[i] = 16
		}
		widths[0] = 40
		counts := func(col int) bool { return col >= 2 }
		if err := x.book.addTable(x.book.first, sheetLayout{header: overview[0], widths: widths}, overview[1:], counts); err != nil {
			return err
		}
	}
	for _, s := range x.sections {
		err := x.book.addLargeSheet(s.name, x.layout, s.rows, func() (rowReader, error) {
			if _, err := s.file.Seek(0, io.SeekStart); err != nil {
				return nil, err
			}
			return csvRows(s.file, len(x.layout.header)), nil
		})
		if err != nil {
			return err
		}
	}
	return x.book.write(x.out)
}

// discard removes the temporary files; an export that fails before Close
// calls it too.
func (x *xlsxWriter) discard() {
	for _, s := range x.sections {
		s.file.Close()
		os.Remove(s.file.Name())
	}
	x.sections = nil
}
