package web

import (
	"fmt"
	"net/url"
	"strings"
)

// tileHost checks MITWIRKEN_MAP_TILES and returns its origin for the CSP
// and the privacy page: an https address with {z}, {x} and {y}.
func tileHost(tiles string) (string, error) {
	if tiles == "" {
		return "", nil
	}
	u, err := url.Parse(strings.NewReplacer("{z}", "0", "{x}", "0", "{y}", "0").Replace(tiles))
	if err != nil || u.Scheme != "https" || u.Host == "" || len(tiles) > 500 ||
		!strings.Contains(tiles, "{z}") || !strings.Contains(tiles, "{x}") || !strings.Contains(tiles, "{y}") {
		return "", fmt.Errorf("MITWIRKEN_MAP_TILES: %q ist keine https-Adresse mit {z}, {x} und {y}", tiles)
	}
	return "https://" + u.Host, nil
}
