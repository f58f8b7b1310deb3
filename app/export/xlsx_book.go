package export

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"runtime"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// book is an XLSX workbook whose sheets all look alike: a bold, filled,
// frozen header row, a filter (a table) over all rows, wrapped text and
// fixed column widths. Small sheets are written at once. Large sheets are
// written when the workbook is: excelize keeps every streamed sheet in
// memory until then (each up to 16 MB, hundreds of MB for a sheet per
// chapter), so a large sheet is only a placeholder with its header and
// table until book.write, which has excelize write its rows, sheet after
// sheet, as a workbook of its own whose worksheet part is copied into the
// final file (excelize's SetZipWriter). At most one large sheet is in
// memory at any time.
type book struct {
	f      *excelize.File
	styles sheetStyles
	names  map[string]bool
	first  string // the sheet the workbook starts with
	tables int
	large  map[string]largeSheet // by sheet name
}

// sheetStyles are the cell styles of every sheet. Each workbook gets them
// as its first styles, so their ids are the same in every workbook.
type sheetStyles struct{ header, text int }

// largeSheet is a sheet whose rows come from rows() at write time.
type largeSheet struct {
	layout sheetLayout
	count  int
	table  string
	rows   func() (rowReader, error)
}

// rowReader yields the rows of a large sheet, one []string after another
// (io.EOF at the end).
type rowReader interface {
	Read() ([]string, error)
}

// sheetLayout is what a sheet looks like above its rows.
type sheetLayout struct {
	header []string
	widths []float64
}

func newBook(first string) (*book, error) {
	b := &book{f: excelize.NewFile(), names: map[string]bool{}, large: map[string]largeSheet{}}
	var err error
	if b.styles, err = newStyles(b.f); err != nil {
		return nil, err
	}
	b.first = b.sheetName(first)
	return b, b.f.SetSheetName("Sheet1", b.first)
}

func newStyles(f *excelize.File) (sheetStyles, error) {
	var s sheetStyles
	var err error
	s.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E79"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
	})
	if err != nil {
		return s, err
	}
	s.text, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	return s, err
}

// sheetName makes a valid, unique sheet name: at most 31 characters,
// without []:*?/\.
func (b *book) sheetName(title string) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, title)
	name = strings.Trim(name, "' ")
	if name == "" {
		name = "Tabelle"
	}
	cut := func(s string, n int) string {
		for utf8.RuneCountInString(s) > n {
			_, size := utf8.DecodeLastRuneInString(s)
			s = s[:len(s)-size]
		}
		return s
	}
	name = cut(name, 31)
	base := name
	for i := 2; b.names[strings.ToLower(name)]; i++ {
		suffix := fmt.Sprintf(" (%d)", i)
		name = cut(base, 31-len(suffix)) + suffix
	}
	b.names[strings.ToLower(name)] = true
	return name
}

// startSheet makes a sheet (the first one exists already) and writes its
// layout and header row.
func (b *book) startSheet(name string, l sheetLayout) (*excelize.StreamWriter, error) {
	if name != b.first {
		if _, err := b.f.NewSheet(name); err != nil {
			return nil, err
		}
	}
	sw, err := b.f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	return sw, writeLayout(sw, l, b.styles)
}

func writeLayout(sw *excelize.StreamWriter, l sheetLayout, st sheetStyles) error {
	for i, w := range l.widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	cells := make([]any, len(l.header))
	for i, h := range l.header {
		cells[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	return sw.SetRow("A1", cells)
}

// endSheet puts the filter table over the header and count rows.
func endSheet(sw *excelize.StreamWriter, cols, count int, table string) error {
	last, err := excelize.CoordinatesToCellName(cols, max(count+1, 2))
	if err != nil {
		return err
	}
	if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: table, StyleName: "TableStyleLight1"}); err != nil {
		return err
	}
	return sw.Flush()
}

func (b *book) nextTable() string {
	b.tables++
	return fmt.Sprintf("Tabelle%d", b.tables)
}

// addTable writes a small sheet at once; cells that are whole numbers
// become numbers when number(col) says so.
func (b *book) addTable(name string, l sheetLayout, rows [][]string, number func(col int) bool) error {
	sw, err := b.startSheet(name, l)
	if err != nil {
		return err
	}
	for r, row := range rows {
		vals := make([]any, len(row))
		for i, s := range row {
			if n, err := strconv.Atoi(s); err == nil && number(i) {
				vals[i] = n
			} else {
				vals[i] = s
			}
		}
		cell, err := excelize.CoordinatesToCellName(1, r+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
	}
	return endSheet(sw, len(l.header), len(rows), b.nextTable())
}

// addLargeSheet adds a sheet of count text rows that rows() reads when the
// workbook is written.
func (b *book) addLargeSheet(name string, l sheetLayout, count int, rows func() (rowReader, error)) error {
	sw, err := b.startSheet(name, l)
	if err != nil {
		return err
	}
	table := b.nextTable()
	if err := endSheet(sw, len(l.header), count, table); err != nil {
		return err
	}
	b.large[name] = largeSheet{layout: l, count: count, table: table, rows: rows}
	return nil
}

// write writes the workbook; the worksheet parts of large sheets are
// replaced by their rows as they go into the file.
func (b *book) write(w io.Writer) error {
	defer b.f.Close()
	parts := map[string]largeSheet{}
	for id, name := range b.f.GetSheetMap() {
		if s, ok := b.large[name]; ok {
			parts[worksheetPart(id)] = s
		}
	}
	if len(parts) != len(b.large) {
		return errors.New("xlsx: a large sheet has no worksheet part")
	}
	z := &partsWriter{parts: parts, styles: b.styles}
	b.f.SetZipWriter(func(w io.Writer) excelize.ZipWriter {
		z.Writer = zip.NewWriter(w)
		return z
	})
	if _, err := b.f.WriteTo(w); err != nil {
		return err
	}
	if len(z.parts) > 0 {
		return fmt.Errorf("xlsx: %d large sheets were not written", len(z.parts))
	}
	return nil
}

// partsWriter is the zip file of the workbook; it writes the rows of large
// sheets in place of their placeholders.
type partsWriter struct {
	*zip.Writer
	parts  map[string]largeSheet
	styles sheetStyles
}

func (z *partsWriter) Create(name string) (io.Writer, error) {
	w, err := z.Writer.Create(name)
	if err != nil {
		return nil, err
	}
	s, ok := z.parts[name]
	if !ok {
		return w, nil
	}
	delete(z.parts, name)
	if err := s.writeWorksheet(w, z.styles); err != nil {
		return nil, err
	}
	// The sheet's workbook leaves its buffers behind (excelize grows a
	// sheet's buffer by doubling: about twice the sheet's size). Collecting
	// them now keeps the peak at one sheet instead of letting them pile up
	// over several chapters before the collector's next turn.
	runtime.GC()
	return io.Discard, nil // the placeholder
}

// writeWorksheet has excelize write the sheet with its rows as the only
// sheet of a workbook of its own (same styles, layout and table, so the
// part fits the final workbook) and copies that worksheet part to w.
func (s largeSheet) writeWorksheet(w io.Writer, want sheetStyles) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	if st != want {
		return fmt.Errorf("xlsx: style ids %v differ from the workbook's %v", st, want)
	}
	// A second sheet, as the first one of a workbook is its selected tab
	// and only the final workbook's first sheet may be.
	if _, err := f.NewSheet(largeSheetName); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(largeSheetName)
	if err != nil {
		return err
	}
	if err := writeLayout(sw, s.layout, st); err != nil {
		return err
	}
	rows, err := s.rows()
	if err != nil {
		return err
	}
	// One row of cells, reused: a row costs no allocation of ours per cell.
	cells := make([]excelize.Cell, len(s.layout.header))
	vals := make([]any, len(cells))
	for i := range cells {
		cells[i].StyleID = st.text
		vals[i] = &cells[i]
	}
	for r := 2; ; r++ {
		row, err := rows.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		for i, v := range row {
			cells[i].Value = v
		}
		cell, err := excelize.CoordinatesToCellName(1, r)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
	}
	if err := endSheet(sw, len(cells), s.count, s.table); err != nil {
		return err
	}
	one := &worksheetOnly{w: w}
	for id, name := range f.GetSheetMap() {
		if name == largeSheetName {
			one.part = worksheetPart(id)
		}
	}
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return one })
	if _, err := f.WriteTo(io.Discard); err != nil {
		return err
	}
	if one.n != 1 {
		return fmt.Errorf("xlsx: %d worksheet parts instead of 1", one.n)
	}
	return nil
}

// largeSheetName is the name of a large sheet in its own workbook.
const largeSheetName = "Daten"

// worksheetPart is the path of a worksheet in the zip file, as excelize
// names it after the sheet's id.
func worksheetPart(id int) string { return fmt.Sprintf("xl/worksheets/sheet%d.xml", id) }

// worksheetOnly passes one worksheet part of a workbook to w and drops the
// rest.
type worksheetOnly struct {
	part string
	w    io.Writer
	n    int
}

func (z *worksheetOnly) Create(name string) (io.Writer, error) {
	if name == z.part {
		z.n++
		return z.w, nil
	}
	return io.Discard, nil
}

func (z *worksheetOnly) AddFS(fs.FS) error { return nil }
func (z *worksheetOnly) Close() error      { return nil }

// csvRows reads back the rows of a temporary CSV file.
func csvRows(r io.Reader, cols int) rowReader {
	cr := csv.NewReader(bufio.NewReaderSize(r, 64<<10))
	cr.FieldsPerRecord = cols
	cr.ReuseRecord = true
	return cr
}
