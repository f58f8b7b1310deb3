package export

import (
	"fmt"
	"io"
	"testing"
)

// BenchmarkXLSXRows writes 20,000 rows of typical cells (long texts,
// labels, empty cells) as an XLSX with four sections: the row writing that
// the 100,000-contribution export spends most of its CPU on, without the
// database. allocs/op counts every allocation, ours and excelize's.
func BenchmarkXLSXRows(b *testing.B) {
	header := make([]string, len(columns))
	for i, c := range columns {
		header[i] = c.id
	}
	const rows, sections = 20000, 4
	text := "Die Radwege enden oft abrupt. Bitte durchgängige Verbindungen bis zur Innenstadt planen, mit „Fahrradstraßen“ & sicheren Kreuzungen.\nZweite Zeile."
	cells := make([]string, len(header))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		w, err := newXLSXWriter(io.Discard, header, "Übersicht")
		if err != nil {
			b.Fatal(err)
		}
		for s := 0; s < sections; s++ {
			if err := w.Section(fmt.Sprintf("Kapitel %d", s)); err != nil {
				b.Fatal(err)
			}
			for r := 0; r < rows/sections; r++ {
				for c := range cells {
					switch c % 4 {
					case 0:
						cells[c] = fmt.Sprintf("A-%05d", r)
					case 1:
						cells[c] = text
					case 2:
						cells[c] = "teilweise berücksichtigt"
					default:
						cells[c] = ""
					}
				}
				if err := w.Row(nil, cells); err != nil {
					b.Fatal(err)
				}
			}
		}
		if err := w.Close(nil); err != nil {
			b.Fatal(err)
		}
	}
}
