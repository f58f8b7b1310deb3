package export

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"io"
	"strings"
)

// sheetWriter receives the rows of an export. Section starts a group (a
// chapter: a sheet in XLSX, nothing in CSV and JSON); Close finishes the
// file, with the overview table for XLSX.
type sheetWriter interface {
	Section(title string) error
	Row(rec *Record, cells []string) error
	Close(overview [][]string) error
}

// csvWriter writes what German Excel opens by double click: UTF-8 with a
// byte order mark, semicolons, CRLF, every cell quoted when needed (line
// breaks stay inside the quotes).
type csvWriter struct {
	buf *bufio.Writer
	w   *csv.Writer
}

func newCSVWriter(out io.Writer, header []string) (*csvWriter, error) {
	buf := bufio.NewWriterSize(out, 64<<10)
	if _, err := buf.WriteString("\ufeff"); err != nil {
		return nil, err
	}
	w := csv.NewWriter(buf)
	w.Comma, w.UseCRLF = ';', true
	c := &csvWriter{buf: buf, w: w}
	return c, c.write(header)
}

func (c *csvWriter) write(cells []string) error {
	for i, s := range cells {
		cells[i] = Neutralise(s)
	}
	return c.w.Write(cells)
}

func (c *csvWriter) Section(string) error { return nil }

func (c *csvWriter) Row(_ *Record, cells []string) error { return c.write(cells) }

func (c *csvWriter) Close([][]string) error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	return c.buf.Flush()
}

// Neutralise keeps a spreadsheet from running a cell as a formula: a cell
// starting with =, +, -, @, a tab or a carriage return gets a leading
// apostrophe.
func Neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// jsonWriter streams a JSON array of records, one element at a time.
type jsonWriter struct {
	buf   *bufio.Writer
	enc   *json.Encoder
	first bool
}

func newJSONWriter(out io.Writer, prefix string) (*jsonWriter, error) {
	buf := bufio.NewWriterSize(out, 64<<10)
	if _, err := buf.WriteString(prefix + "[\n"); err != nil {
		return nil, err
	}
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	return &jsonWriter{buf: buf, enc: enc, first: true}, nil
}

func (j *jsonWriter) Section(string) error { return nil }

func (j *jsonWriter) Row(rec *Record, _ []string) error {
	if !j.first {
		if _, err := j.buf.WriteString(","); err != nil {
			return err
		}
	}
	j.first = false
	return j.enc.Encode(rec) // Encode ends the element with a newline
}

func (j *jsonWriter) close(suffix string) error {
	if _, err := j.buf.WriteString("]" + suffix + "\n"); err != nil {
		return err
	}
	return j.buf.Flush()
}

func (j *jsonWriter) Close([][]string) error { return j.close("") }
