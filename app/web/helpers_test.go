package web_test

import (
	"github.com/PuerkitoBio/goquery"
	"strconv"

	"github.com/mitwirken/mitwirken/app/auth"
	"github.com/mitwirken/mitwirken/app/store"
)

var storeOutboxAll = store.OutboxFilter{}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// hashKey is how the login throttle stores its keys.
func hashKey(s string) string { return auth.HashToken(s) }

type goquerySelection = goquery.Selection
