package export

import (
	"bytes"
	"os"
	"reflect"
	"unsafe"

	"github.com/xuri/excelize/v2"
)

// excelize's StreamWriter keeps each sheet in memory until it reaches 16 MB
// (excelize.StreamingChunkSize) and only then moves it to a temporary file;
// every sheet of a workbook is kept until the workbook is written. With one
// sheet per chapter that is up to 16–32 MB per sheet, several hundred MB for
// 100,000 contributions. spill moves a sheet's buffered rows to its
// temporary file early, so memory stays flat.
//
// The buffer is an unexported field; spillable checks once that its layout
// is the one this code was written for (excelize v2.10.0) and otherwise
// spill does nothing (the export still works, with more memory).

// bufferedWriter mirrors excelize's unexported bufferedWriter.
type bufferedWriter struct {
	tmpDir string
	tmp    *os.File
	buf    bytes.Buffer
}

var spillable = func() bool {
	f, ok := reflect.TypeOf(excelize.StreamWriter{}).FieldByName("rawData")
	if !ok {
		return false
	}
	t := f.Type
	mine := reflect.TypeOf(bufferedWriter{})
	if t.Kind() != reflect.Struct || t.NumField() != mine.NumField() || t.Size() != mine.Size() {
		return false
	}
	for i := 0; i < t.NumField(); i++ {
		a, b := t.Field(i), mine.Field(i)
		if a.Name != b.Name || a.Type != b.Type || a.Offset != b.Offset {
			return false
		}
	}
	return true
}()

// spillAt is how many buffered bytes a sheet may hold before they move to
// its temporary file.
const spillAt = 1 << 20

func spill(sw *excelize.StreamWriter) error {
	if !spillable || sw == nil {
		return nil
	}
	v := reflect.ValueOf(sw).Elem().FieldByName("rawData")
	bw := (*bufferedWriter)(unsafe.Pointer(v.UnsafeAddr()))
	if bw.buf.Len() < spillAt {
		return nil
	}
	if bw.tmp == nil {
		tmp, err := os.CreateTemp(bw.tmpDir, "excelize-")
		if err != nil {
			return nil // keep it in memory, as excelize does
		}
		bw.tmp = tmp
	}
	if _, err := bw.buf.WriteTo(bw.tmp); err != nil {
		return err
	}
	bw.buf = bytes.Buffer{} // release the grown buffer
	return nil
}
