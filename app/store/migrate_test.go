package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
	"github.com/mitwirken/mitwirken/migrations"
)

// TestMigrationsApplyOnceAndRefuseNewerSchema.
func TestMigrationsApplyOnceAndRefuseNewerSchema(t *testing.T) {
	ctx := context.Background()
	s := testenv.OpenStore(t, nil) // already migrated
	applied, err := s.Migrate(ctx)
	if err != nil || len(applied) != 0 {
		t.Fatalf("second migrate applied %d: %v", len(applied), err)
	}
	states, err := s.MigrationStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := store.LoadMigrations(migrations.FS, s.Dialect())
	if len(states) != len(all) {
		t.Fatalf("status lists %d of %d migrations", len(states), len(all))
	}
	for _, st := range states {
		if st.AppliedAt == nil {
			t.Errorf("migration %d not applied", st.Version)
		}
	}
	if err := s.CheckSchema(ctx); err != nil {
		t.Fatalf("current schema rejected: %v", err)
	}
	// A migration from a newer release is in the table.
	if err := s.Gorm().Exec(`INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (9999, 'from_the_future', 'x', ?)`, s.Now()).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("migrate on a newer schema: %v", err)
	}
	if err := s.CheckSchema(ctx); err == nil {
		t.Fatal("serve would run on a schema newer than it knows")
	}
}

// TestReferenceData: the 10 Stadtbezirke, 63 Ortsteile, 4x6 goal system and
// 9+3 themes are there after migration, with the official numbers.
func TestReferenceData(t *testing.T) {
	s := testenv.OpenStore(t, nil)
	ref, err := s.LoadRefData(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(ref.Stadtbezirke) != 10 || len(ref.Ortsteile) != 63 || len(ref.Zielfelder) != 4 || len(ref.Handlungsschwerpunkte) != 24 || len(ref.Themes) != 12 {
		t.Fatalf("counts: %d %d %d %d %d", len(ref.Stadtbezirke), len(ref.Ortsteile), len(ref.Zielfelder), len(ref.Handlungsschwerpunkte), len(ref.Themes))
	}
	for _, o := range ref.Ortsteile {
		if o.Code[:1] != o.StadtbezirkCode {
			t.Errorf("Ortsteil %s %s belongs to Stadtbezirk %s", o.Code, o.Name, o.StadtbezirkCode)
		}
	}
	if o, _ := ref.Ortsteil("41"); o.Name != "Connewitz" {
		t.Errorf("41 is %q", o.Name)
	}
	if b, _ := ref.Stadtbezirk("7"); b.Name != "Alt-West" {
		t.Errorf("7 is %q", b.Name)
	}
	crossCutting := 0
	for _, th := range ref.Themes {
		if th.CrossCutting {
			crossCutting++
		}
	}
	if crossCutting != 3 {
		t.Errorf("%d cross-cutting themes", crossCutting)
	}
}
