package auth

import "strconv"

func itoaID(id int64) string { return strconv.FormatInt(id, 10) }
