package selection

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func honestDraw(t testing.TB, seed string) (Pool, *Draw) {
	t.Helper()
	pool, err := GeneratePool(GeneratorConfig{Seed: 3, People: 60, PanelSize: 8, Categories: 2})
	if err != nil {
		t.Fatal(err)
	}
	d := mustCompute(t, pool, 8, Leximin)
	list, err := Round(d, 1000)
	if err != nil {
		t.Fatal(err)
	}
	draw, err := NewDraw(pool, d, list)
	if err != nil {
		t.Fatal(err)
	}
	if seed != "" {
		if err := draw.Finalize(seed, "Lotto 6aus49, Ziehung vom 3.12.2025", []string{"Ortsvorsteherin"}); err != nil {
			t.Fatal(err)
		}
	}
	return pool, draw
}

func roundTrip(t testing.TB, d *Draw) *Draw {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteDraw(&buf, d); err != nil {
		t.Fatal(err)
	}
	out, err := ReadDraw(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func wantProblem(t *testing.T, d *Draw, code string) {
	t.Helper()
	err := Verify(d)
	var ve *VerifyError
	if !errors.As(err, &ve) {
		t.Fatalf("Verify = %v, want a %q problem", err, code)
	}
	if !ve.Has(code) {
		t.Fatalf("Verify problems %v, want %q", ve.Problems, code)
	}
}

func TestVerifyHonestDrawAndJSONRoundTrip(t *testing.T) {
	_, d := honestDraw(t, "2025-12-03: 4 11 19 23 37 42, Superzahl 7")
	if err := Verify(d); err != nil {
		t.Fatal(err)
	}
	back := roundTrip(t, d)
	if !reflect.DeepEqual(d, back) {
		t.Fatal("draw changed in JSON round trip")
	}
	if err := Verify(back); err != nil {
		t.Fatal(err)
	}
	if len(d.Selected) != d.PanelSize || len(d.WaitingList) != len(d.Pool)-d.PanelSize {
		t.Fatalf("selected %d, waiting %d", len(d.Selected), len(d.WaitingList))
	}
	// Unseeded documents (published before the draw) verify too.
	_, pre := honestDraw(t, "")
	if err := Verify(roundTrip(t, pre)); err != nil {
		t.Fatal(err)
	}
}

func TestVerifyDetectsTamperedPanelList(t *testing.T) {
	_, d := honestDraw(t, "seed")
	d = roundTrip(t, d)
	// Replace one list entry by another valid panel: quotas still hold, but
	// the list hash and the rounding no longer match.
	other := d.Distribution[len(d.Distribution)-1].IDs
	for e := range d.Panels {
		if !reflect.DeepEqual(d.Panels[e], other) {
			d.Panels[e] = other
			break
		}
	}
	wantProblem(t, d, "panels_hash")

	_, d2 := honestDraw(t, "seed")
	d2 = roundTrip(t, d2)
	// Swap a member for somebody else: breaks quotas or the hash.
	d2.Panels[5] = append([]string(nil), d2.Panels[5]...)
	d2.Panels[5][0] = d2.WaitingList[0]
	wantProblem(t, d2, "panels_hash")
}

func TestVerifyDetectsTamperedPoolHash(t *testing.T) {
	_, d := honestDraw(t, "seed")
	d = roundTrip(t, d)
	d.PoolHash = strings.Repeat("ab", 32)
	wantProblem(t, d, "pool_hash")

	// Changing a person's category value also changes the pool hash.
	_, d2 := honestDraw(t, "seed")
	d2 = roundTrip(t, d2)
	for c, v := range d2.Pool[0].Values {
		for _, q := range d2.Categories {
			if q.Name == c {
				for _, alt := range q.Values {
					if alt.Value != v {
						d2.Pool[0].Values[c] = alt.Value
					}
				}
			}
		}
		break
	}
	wantProblem(t, d2, "pool_hash")
}

func TestVerifyDetectsTamperedSeed(t *testing.T) {
	_, d := honestDraw(t, "seed-1")
	d = roundTrip(t, d)
	h, _ := d.poolHashBytes()
	// Find another seed that leads to a different entry.
	for i := 2; ; i++ {
		s := fmt.Sprintf("seed-%d", i)
		if ChooseIndex(s, h, len(d.Panels)) != *d.ChosenIndex {
			d.Seed = &s
			break
		}
	}
	wantProblem(t, d, "seed")
}

func TestVerifyDetectsTamperedChosenIndex(t *testing.T) {
	_, d := honestDraw(t, "seed-1")
	d = roundTrip(t, d)
	idx := (*d.ChosenIndex + 1) % len(d.Panels)
	d.ChosenIndex = &idx
	wantProblem(t, d, "chosen_index")
}

func TestVerifyDetectsTamperedSelectionAndWaitingList(t *testing.T) {
	_, d := honestDraw(t, "seed-1")
	d = roundTrip(t, d)
	d.Selected[0], d.WaitingList[0] = d.WaitingList[0], d.Selected[0]
	wantProblem(t, d, "selected")
	wantProblem(t, d, "waiting_list")
}

func TestChooseIndexDefinition(t *testing.T) {
	h := sha256.Sum256([]byte("pool"))
	seed := "Beacon 2025-12-03T18:00Z"
	dg := sha256.Sum256(append([]byte(seed), h[:]...))
	v := binary.BigEndian.Uint64(dg[:8])
	// 2^64 mod 1000 = 616: only values ≥ 2^64−616 are rejected, so this
	// seed is accepted at attempt 0 with overwhelming probability.
	if v <= ^uint64(0)-616 {
		if got := ChooseIndex(seed, h, 1000); got != int(v%1000) {
			t.Fatalf("ChooseIndex = %d, want %d", got, v%1000)
		}
	}
	// Powers of two have no bias: nothing is rejected.
	if got := ChooseIndex(seed, h, 1024); got != int(v%1024) {
		t.Fatalf("ChooseIndex(1024) = %d, want %d", got, v%1024)
	}
	// Rejection path: n = 2^63+1 rejects v ≥ 2^63+1 … forcing re-hashes
	// for about half the seeds; the result must stay in range.
	for i := 0; i < 50; i++ {
		n := int(^uint64(0) >> 1) // 2^63−1: 2^64 mod n = 2, tiny rejection zone
		if got := ChooseIndex(fmt.Sprint(i), h, n); got < 0 || got >= n {
			t.Fatalf("index %d out of range", got)
		}
	}
}

func TestWaitingListDefinition(t *testing.T) {
	h := sha256.Sum256([]byte("pool"))
	ids := []string{"a", "b", "c", "d"}
	got := WaitingList("s", h, ids)
	key := func(id string) string {
		k := sha256.Sum256(append(append([]byte("s"), h[:]...), id...))
		return string(k[:])
	}
	for i := 1; i < len(got); i++ {
		if key(got[i-1]) > key(got[i]) {
			t.Fatalf("waiting list not sorted by SHA-256(seed ‖ hash ‖ id): %v", got)
		}
	}
}

func TestDeterminism(t *testing.T) {
	pool, d1 := honestDraw(t, "gleicher Seed")
	// Same pool in a different order (as another database might return it).
	shuffled := pool
	shuffled.People = append([]Person(nil), pool.People...)
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(shuffled.People), func(i, j int) {
		shuffled.People[i], shuffled.People[j] = shuffled.People[j], shuffled.People[i]
	})
	if PoolHash(pool) != PoolHash(shuffled) {
		t.Fatal("pool hash depends on order")
	}
	d := mustCompute(t, shuffled, 8, Leximin)
	list, err := Round(d, 1000)
	if err != nil {
		t.Fatal(err)
	}
	d2, err := NewDraw(shuffled, d, list)
	if err != nil {
		t.Fatal(err)
	}
	if err := d2.Finalize("gleicher Seed", "", nil); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(d1.Selected, d2.Selected) || !reflect.DeepEqual(d1.WaitingList, d2.WaitingList) || d1.PanelsHash != d2.PanelsHash {
		t.Fatal("same seed and pool gave a different result")
	}
}

func TestUniformDrawWithoutCategories(t *testing.T) {
	pool := Pool{}
	for i := 0; i < 40; i++ {
		pool.People = append(pool.People, Person{ID: fmt.Sprintf("x%02d", i)})
	}
	d := mustCompute(t, pool, 5, Uniform)
	list, err := Round(d, 1000)
	if err != nil {
		t.Fatal(err)
	}
	checkList(t, pool, d, list, 1000)
	draw, err := NewDraw(pool, d, list)
	if err != nil {
		t.Fatal(err)
	}
	if err := draw.Finalize("seed", "", nil); err != nil {
		t.Fatal(err)
	}
	if err := Verify(roundTrip(t, draw)); err != nil {
		t.Fatal(err)
	}
	if list.MaxIndividualDeviation > 0.002 {
		t.Errorf("individual deviation %g", list.MaxIndividualDeviation)
	}
}

func TestReplacementKeepsQuotas(t *testing.T) {
	_, d := honestDraw(t, "seed-r")
	m, _ := compile(d.poolFromDraw(), d.PanelSize)
	for _, declined := range d.Selected {
		r, err := NextReplacement(d, d.Selected, declined)
		if err != nil {
			t.Fatal(err)
		}
		var panel []string
		for _, id := range d.Selected {
			if id != declined {
				panel = append(panel, id)
			}
		}
		panel = append(panel, r.ID)
		idx, _ := m.panelIndices(panel)
		viol := m.violations(idx, d.PanelSize)
		if r.QuotasKept != (len(viol) == 0) {
			t.Fatalf("QuotasKept=%v but violations %v", r.QuotasKept, viol)
		}
		// No earlier waiting-list candidate would have kept the quotas.
		for _, id := range d.WaitingList[:r.Position] {
			idx, _ := m.panelIndices(append(panel[:len(panel)-1:len(panel)-1], id))
			if r.QuotasKept && len(m.violations(idx, d.PanelSize)) == 0 {
				t.Fatalf("%s comes earlier and keeps the quotas", id)
			}
		}
		// Excluding the first replacement moves on to a later one.
		r2, err := NextReplacement(d, d.Selected, declined, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r2.ID == r.ID || r2.Position <= r.Position {
			t.Fatalf("exclusion ignored: %+v then %+v", r, r2)
		}
	}
}

func TestReplacementReportsBrokenQuota(t *testing.T) {
	// The only A is selected and declines; nobody on the waiting list has
	// value A, so the minimum of A breaks and is named.
	pool := onePool(map[string]int{"A": 1, "B": 5}, Quota{"A", 1, 1}, Quota{"B", 1, 2})
	d := mustCompute(t, pool, 2, Leximin)
	list, _ := Round(d, 1000)
	draw, err := NewDraw(pool, d, list)
	if err != nil {
		t.Fatal(err)
	}
	if err := draw.Finalize("x", "", nil); err != nil {
		t.Fatal(err)
	}
	r, err := NextReplacement(draw, draw.Selected, "A00")
	if err != nil {
		t.Fatal(err)
	}
	if r.QuotasKept || len(r.Violations) == 0 || r.Violations[0].Value != "A" || r.Violations[0].Kind != "min" {
		t.Fatalf("replacement %+v", r)
	}
	if r.ID != draw.WaitingList[0] {
		t.Fatalf("expected first on the waiting list, got %s", r.ID)
	}
}

func TestRunFilesAndVerifyFile(t *testing.T) {
	dir := t.TempDir()
	cats := "category,name,min,max\nStadtgebiet,Nord,1,2\nStadtgebiet,Süd,1,3\nAlter,jung,1,3\nAlter,alt,1,3\n"
	var resp strings.Builder
	resp.WriteString("nationbuilder_id,Stadtgebiet,Alter,email\n")
	for i := 0; i < 30; i++ {
		gebiet := []string{"Nord", "Süd"}[i%2]
		alter := []string{"jung", "alt", "alt"}[i%3]
		fmt.Fprintf(&resp, "r%02d,%s,%s,x%d@example.org\n", i, gebiet, alter, i)
	}
	os.WriteFile(filepath.Join(dir, "categories.csv"), []byte(cats), 0o644)
	os.WriteFile(filepath.Join(dir, "respondents.csv"), []byte(resp.String()), 0o644)
	progress := 0
	out := filepath.Join(dir, "out")
	rep, err := RunFiles(RunOptions{
		CategoriesPath:  filepath.Join(dir, "categories.csv"),
		RespondentsPath: filepath.Join(dir, "respondents.csv"),
		PanelSize:       4,
		OutDir:          out,
		Seed:            "test-seed",
		Progress:        func(Progress) { progress++ },
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"probabilities.csv", "panels.csv", "distribution.csv", "draw.json", "report.md"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s missing", f)
		}
	}
	if len(rep.Draw.Selected) != 4 || progress == 0 {
		t.Fatalf("report %+v, progress reported %d times", rep.Draw.Selected, progress)
	}
	var vout bytes.Buffer
	if err := VerifyFile(filepath.Join(out, "draw.json"), &vout); err != nil {
		t.Fatalf("VerifyFile: %v\n%s", err, vout.String())
	}
	if !strings.Contains(vout.String(), "Alle Prüfungen bestanden") {
		t.Fatalf("verify output %q", vout.String())
	}
	md, _ := os.ReadFile(filepath.Join(out, "report.md"))
	if !strings.Contains(string(md), "Gini") || !strings.Contains(string(md), "Stadtgebiet") {
		t.Fatalf("report.md incomplete:\n%s", md)
	}

	// Tamper with the file: VerifyFile must fail and say why.
	raw, _ := os.ReadFile(filepath.Join(out, "draw.json"))
	bad := strings.Replace(string(raw), `"seed": "test-seed"`, `"seed": "other-seed"`, 1)
	os.WriteFile(filepath.Join(out, "bad.json"), []byte(bad), 0o644)
	vout.Reset()
	if err := VerifyFile(filepath.Join(out, "bad.json"), &vout); err == nil || !strings.Contains(vout.String(), "FEHLER") {
		t.Fatalf("tampered seed not detected: %v\n%s", err, vout.String())
	}
}

func TestRunFilesWithoutSeedOmitsResult(t *testing.T) {
	dir := t.TempDir()
	var resp strings.Builder
	resp.WriteString("id\n")
	for i := 0; i < 12; i++ {
		fmt.Fprintf(&resp, "u%d\n", i)
	}
	os.WriteFile(filepath.Join(dir, "r.csv"), []byte(resp.String()), 0o644)
	rep, err := RunFiles(RunOptions{RespondentsPath: filepath.Join(dir, "r.csv"), PanelSize: 3, Algorithm: Uniform, OutDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "draw.json"))
	if strings.Contains(string(raw), `"seed"`) || strings.Contains(string(raw), `"chosen_index"`) || rep.Draw.Seed != nil {
		t.Fatal("draw.json without seed must not contain seed or chosen index")
	}
	if err := VerifyFile(filepath.Join(dir, "draw.json"), &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
}

func TestComputeIsContextAware(t *testing.T) {
	_, err := Compute(context.Background(), Pool{People: []Person{{ID: "a"}}}, 2, Options{})
	var inf *Infeasibility
	if !errors.As(err, &inf) || inf.Changes[0].Kind != "panel_size" {
		t.Fatalf("panel larger than pool: %v", err)
	}
}
