package web_test

import (
	"strconv"

	"github.com/mitwirken/mitwirken/app/store"
)

var storeOutboxAll = store.OutboxFilter{}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
