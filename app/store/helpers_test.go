package store_test

import "fmt"

func fmtValue(v any) string { return fmt.Sprint(v) }

func itoa(n int64) string { return fmt.Sprint(n) }
