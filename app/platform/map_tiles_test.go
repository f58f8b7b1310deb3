package platform

import (
	"context"
	"io"
	"strings"
	"testing"
)

// A MITWIRKEN_MAP_TILES that is not an https address with {z}, {x} and {y}
// stops the start with the variable named (browsers would otherwise load
// tiles over plain http or from a malformed address).
func TestBadMapTilesRefused(t *testing.T) {
	for _, tiles := range []string{
		"http://tiles.stadt.example/{z}/{x}/{y}.png",
		"https://tiles.stadt.example/{z}/{x}.png",
		"kacheln",
	} {
		cfg := Config{Addr: "127.0.0.1:0", DatabaseURL: "sqlite://" + t.TempDir() + "/mw.db", AutoMigrate: true,
			PlatformName: "mitwirken", MapTiles: tiles}
		p, err := Open(context.Background(), cfg, Options{LogOutput: io.Discard})
		if err == nil {
			_ = p.Close()
			t.Fatalf("%q: the platform started", tiles)
		}
		if !strings.Contains(err.Error(), "MITWIRKEN_MAP_TILES") {
			t.Errorf("%q: error %v does not name MITWIRKEN_MAP_TILES", tiles, err)
		}
	}
}
