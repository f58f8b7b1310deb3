package export

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// xlsxWriter writes one sheet per section with excelize's StreamWriter
// (rows go to a temporary file, not to memory) and the overview as the
// first sheet. Every sheet has a bold, filled, frozen header row, a filter
// (a table) over all rows, wrapped text and fixed column widths. Every cell
// is a string cell: nothing typed by people becomes a formula.
type xlsxWriter struct {
	out      io.Writer
	f        *excelize.File
	header   []string
	overview string
	sw       *excelize.StreamWriter
	row      int
	tables   int
	names    map[string]bool
	hdrStyle int
	txtStyle int
	cells    []interface{}
}

func newXLSXWriter(out io.Writer, header []string, overview string) (*xlsxWriter, error) {
	f := excelize.NewFile()
	x := &xlsxWriter{out: out, f: f, header: header, names: map[string]bool{}, cells: make([]interface{}, len(header))}
	x.overview = x.sheetName(overview)
	if err := f.SetSheetName("Sheet1", x.overview); err != nil {
		return nil, err
	}
	var err error
	x.hdrStyle, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E79"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
	})
	if err != nil {
		return nil, err
	}
	x.txtStyle, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	return x, err
}

// sheetName makes a valid, unique sheet name: at most 31 characters,
// without []:*?/\.
func (x *xlsxWriter) sheetName(title string) string {
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
	for i := 2; x.names[strings.ToLower(name)]; i++ {
		suffix := fmt.Sprintf(" (%d)", i)
		name = cut(base, 31-len(suffix)) + suffix
	}
	x.names[strings.ToLower(name)] = true
	return name
}

func (x *xlsxWriter) begin(sheet string, header []string, widths []float64) error {
	sw, err := x.f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	cells := make([]interface{}, len(header))
	for i, h := range header {
		cells[i] = excelize.Cell{StyleID: x.hdrStyle, Value: h}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return err
	}
	x.sw, x.row = sw, 1
	return nil
}

func (x *xlsxWriter) end() error {
	if x.sw == nil {
		return nil
	}
	last, err := excelize.CoordinatesToCellName(len(x.header), max(x.row, 2))
	if err != nil {
		return err
	}
	x.tables++
	if err := x.sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: fmt.Sprintf("Tabelle%d", x.tables),
		StyleName: "TableStyleLight1"}); err != nil {
		return err
	}
	err = x.sw.Flush()
	if err == nil {
		err = spill(x.sw)
	}
	x.sw = nil
	return err
}

func (x *xlsxWriter) Section(title string) error {
	if err := x.end(); err != nil {
		return err
	}
	name := x.sheetName(title)
	if _, err := x.f.NewSheet(name); err != nil {
		return err
	}
	widths := make([]float64, len(columns))
	for i, c := range columns {
		widths[i] = c.width
	}
	return x.begin(name, x.header, widths)
}

func (x *xlsxWriter) Row(_ *Record, cells []string) error {
	x.row++
	for i, s := range cells {
		x.cells[i] = excelize.Cell{StyleID: x.txtStyle, Value: s}
	}
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	if err := x.sw.SetRow(cell, x.cells); err != nil {
		return err
	}
	if x.row%256 == 0 {
		return spill(x.sw)
	}
	return nil
}

func (x *xlsxWriter) Close(overview [][]string) error {
	if err := x.end(); err != nil {
		return err
	}
	if len(overview) > 0 {
		widths := make([]float64, len(overview[0]))
		for i := range widths {
			widths[i] = 16
		}
		widths[0] = 40
		saved := x.header
		x.header = overview[0]
		if err := x.begin(x.overview, overview[0], widths); err != nil {
			return err
		}
		for _, row := range overview[1:] {
			x.row++
			vals := make([]interface{}, len(row))
			for i, s := range row {
				if n, err := strconv.Atoi(s); err == nil && i >= 2 {
					vals[i] = n
				} else {
					vals[i] = s
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, x.row)
			if err := x.sw.SetRow(cell, vals); err != nil {
				return err
			}
		}
		if err := x.end(); err != nil {
			return err
		}
		x.header = saved
	}
	if err := x.f.Write(x.out); err != nil {
		return err
	}
	return x.f.Close()
}
