package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestDraftImport runs `mitwirken draft import DIR` twice: the first run
// creates the document and its chapters, the second keeps unchanged
// chapters and gives changed ones a new version with stable anchors.
func TestDraftImport(t *testing.T) {
	dbURL := testenv.DatabaseURL(t)
	t.Setenv("MITWIRKEN_DATABASE_URL", dbURL)
	dir := t.TempDir()
	writeFile(t, dir, "01-zielbild.md", "# Teil A: Zielbild 2030\n\nLeipzig wächst nachhaltig.\n\nVier Zielfelder bilden das Zielsystem.\n")
	writeFile(t, dir, "02-wohnen.md", "---\ntitle: Fachkonzept Wohnen\nslug: wohnen\nfachamt: Amt für Wohnungsbau und Stadterneuerung\nposition: 3\n---\nDer Wohnungsmarkt ist angespannt.\n\nDie Stadt fördert Genossenschaften.\n")
	writeFile(t, dir, "notizen.txt", "wird nicht gelesen")
	var out bytes.Buffer
	env := &cliEnv{stdout: &out, stderr: &out}
	ctx := context.Background()
	err := run(ctx, env, []string{"draft", "import", "--document", "insek-2030", "--title", "INSEK Leipzig 2030 – Entwurf", "--moderation", "post", "--publish", dir})
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "2 Kapitel neu") {
		t.Fatalf("output: %s", out.String())
	}
	s, err := store.Open(ctx, store.Options{URL: dbURL})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	doc, err := s.DocumentBySlug(ctx, "insek-2030")
	if err != nil || !doc.Published || doc.Moderation != "post" || doc.Title != "INSEK Leipzig 2030 – Entwurf" {
		t.Fatalf("document: %+v %v", doc, err)
	}
	chapters, err := s.Chapters(ctx, doc.ID)
	if err != nil || len(chapters) != 2 {
		t.Fatalf("chapters: %+v %v", chapters, err)
	}
	zb, wo := chapters[0], chapters[1]
	if zb.Slug != "zielbild" || zb.Title != "Teil A: Zielbild 2030" || zb.Position != 1 {
		t.Errorf("chapter from the file name: %+v", zb)
	}
	if wo.Slug != "wohnen" || wo.Fachamt != "Amt für Wohnungsbau und Stadterneuerung" || wo.Position != 3 {
		t.Errorf("chapter from the front matter: %+v", wo)
	}
	v1, _ := s.VersionBlocks(ctx, *wo.CurrentVersionID)

	// Second run: Wohnen changes one paragraph and adds one; Zielbild stays.
	writeFile(t, dir, "02-wohnen.md", "---\ntitle: Fachkonzept Wohnen\nslug: wohnen\nfachamt: Amt für Wohnungsbau und Stadterneuerung\nposition: 3\nnote: Nach dem Werkstattgespräch\n---\nDer Wohnungsmarkt ist angespannt.\n\nDie Stadt fördert Genossenschaften und Baugruppen.\n\nNeu: ein Baulandmodell.\n")
	out.Reset()
	if err := run(ctx, env, []string{"draft", "import", "--document", "insek-2030", dir}); err != nil {
		t.Fatalf("second import: %v", err)
	}
	if !strings.Contains(out.String(), "0 Kapitel neu, 1 mit neuer Fassung, 1 unverändert") {
		t.Fatalf("second output: %s", out.String())
	}
	wo2, _ := s.ChapterBySlug(ctx, "wohnen")
	v2, _ := s.VersionBlocks(ctx, *wo2.CurrentVersionID)
	if len(v2) != 3 || v2[0].Anchor != v1[0].Anchor || v2[1].Anchor != v1[1].Anchor || v2[2].Anchor != "p-3" {
		t.Fatalf("anchors after the second import: %+v", v2)
	}
	versions, _ := s.Versions(ctx, wo2.ID)
	if len(versions) != 2 || versions[1].Note != "Nach dem Werkstattgespräch" {
		t.Fatalf("versions: %+v", versions)
	}

	// A broken file is reported with its name and a German message; nothing changes.
	writeFile(t, dir, "03-kaputt.md", "---\ntitle: \nslug: Ungültig!\n---\n")
	err = run(ctx, env, []string{"draft", "import", "--document", "insek-2030", dir})
	if err == nil || !strings.Contains(err.Error(), "03-kaputt.md") || !strings.Contains(err.Error(), "slug: Bitte verwenden Sie nur Kleinbuchstaben") {
		t.Fatalf("broken file: %v", err)
	}
	if chapters, _ := s.Chapters(ctx, doc.ID); len(chapters) != 2 {
		t.Fatalf("a failed import changed the chapters: %d", len(chapters))
	}
}
