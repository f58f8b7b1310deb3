package platform

import (
	"os"
	"strings"
	"testing"
)

// A bad MITWIRKEN_GEOJSON stops the start and names the feature and reason.
func TestBadGeoJSONRefused(t *testing.T) {
	path := t.TempDir() + "/ortsteile.geojson"
	if err := os.WriteFile(path, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"ot":"40","name":"Südvorstadt"},"geometry":{"type":"Polygon","coordinates":[[[12,51],[12.1,51],[12.1,51.1],[12,51.2]]]}}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := loadAtlas(path)
	if err == nil || !strings.Contains(err.Error(), `MITWIRKEN_GEOJSON`) || !strings.Contains(err.Error(), `Feature 1 (ot "40", "Südvorstadt")`) || !strings.Contains(err.Error(), "nicht geschlossen") {
		t.Fatalf("error %v", err)
	}
	if a, err := loadAtlas(""); err != nil || len(a.Ortsteile) != 63 {
		t.Fatalf("embedded: %v", err)
	}
}
