package selection

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"sort"
)

// DrawFormatVersion is the format_version of DRAW.json documents.
const DrawFormatVersion = 1

// PoolEntry is one applicant as published in a draw document: the
// pseudonymous id, the category values and the SHA-256 of the household key
// (never the key itself).
type PoolEntry = poolRow

// Draw is the public record of a selection (DRAW.json, see
// docs/selection.md). It is created with NewDraw when applications close –
// before the seed is known – and published; Finalize adds the seed and the
// result. Verify recomputes everything that can be checked.
type Draw struct {
	FormatVersion    int                 `json:"format_version"`
	Algorithm        Algorithm           `json:"algorithm"`
	AlgorithmVersion string              `json:"algorithm_version"`
	PanelSize        int                 `json:"panel_size"`
	Categories       []Category          `json:"categories"`
	Pool             []PoolEntry         `json:"pool"`
	PoolHash         string              `json:"pool_hash"`
	Probabilities    []PersonProbability `json:"probabilities"`
	Stats            Stats               `json:"stats"`
	Distribution     []WeightedPanel     `json:"distribution"`
	// Panels is the public list of ListSize panels the seed picks from.
	Panels                 [][]string `json:"panels"`
	PanelsHash             string     `json:"panels_hash"`
	MaxIndividualDeviation float64    `json:"max_individual_deviation"`

	// Filled in by Finalize once the seed is public.
	Seed        *string  `json:"seed,omitempty"`
	SeedSource  string   `json:"seed_source,omitempty"`
	Witnesses   []string `json:"witnesses,omitempty"`
	ChosenIndex *int     `json:"chosen_index,omitempty"`
	Selected    []string `json:"selected,omitempty"`
	WaitingList []string `json:"waiting_list,omitempty"`
}

// NewDraw records pool, quotas, distribution and rounded list. The pool
// must be the one the distribution was computed for.
func NewDraw(pool Pool, dist *Distribution, list *PanelList) (*Draw, error) {
	if _, err := compile(pool, dist.PanelSize); err != nil {
		return nil, err
	}
	if len(list.Panels) == 0 {
		return nil, fmt.Errorf("selection: empty panel list")
	}
	h := PoolHash(pool)
	d := &Draw{
		FormatVersion:          DrawFormatVersion,
		Algorithm:              dist.Algorithm,
		AlgorithmVersion:       dist.AlgorithmVersion,
		PanelSize:              dist.PanelSize,
		Categories:             pool.Categories,
		PoolHash:               hex.EncodeToString(h[:]),
		Probabilities:          dist.People,
		Stats:                  dist.Stats,
		Distribution:           dist.Panels,
		Panels:                 list.Panels,
		PanelsHash:             PanelsHash(list.Panels),
		MaxIndividualDeviation: list.MaxIndividualDeviation,
	}
	if d.Categories == nil {
		d.Categories = []Category{}
	}
	for _, p := range pool.People {
		d.Pool = append(d.Pool, PoolEntry{ID: p.ID, Values: p.Values, HouseholdHash: HouseholdHash(p.Household)})
	}
	sort.Slice(d.Pool, func(a, b int) bool { return d.Pool[a].ID < d.Pool[b].ID })
	return d, nil
}

// Finalize applies the public seed: it picks the panel and orders the
// waiting list. seed is used byte for byte (UTF-8, no trimming).
func (d *Draw) Finalize(seed, source string, witnesses []string) error {
	h, err := d.poolHashBytes()
	if err != nil {
		return err
	}
	idx := ChooseIndex(seed, h, len(d.Panels))
	d.Seed = &seed
	d.SeedSource = source
	d.Witnesses = witnesses
	d.ChosenIndex = &idx
	d.Selected = append([]string(nil), d.Panels[idx]...)
	d.WaitingList = WaitingList(seed, h, d.notSelected(d.Selected))
	return nil
}

func (d *Draw) poolHashBytes() ([32]byte, error) {
	var h [32]byte
	b, err := hex.DecodeString(d.PoolHash)
	if err != nil || len(b) != 32 {
		return h, fmt.Errorf("selection: pool_hash %q is not 64 hex digits", d.PoolHash)
	}
	copy(h[:], b)
	return h, nil
}

func (d *Draw) notSelected(selected []string) []string {
	sel := map[string]bool{}
	for _, id := range selected {
		sel[id] = true
	}
	var out []string
	for _, p := range d.Pool {
		if !sel[p.ID] {
			out = append(out, p.ID)
		}
	}
	return out
}

// ChooseIndex maps seed and pool hash to a list index in [0, n) without
// modulo bias: attempt j hashes
//
//	D_0 = SHA-256(seed ‖ poolHash)              (j = 0)
//	D_j = SHA-256(seed ‖ poolHash ‖ BE32(j))    (j ≥ 1)
//
// with seed as its UTF-8 bytes, poolHash as 32 raw bytes and BE32(j) the
// counter as 4-byte big-endian. The first 8 bytes of D_j are read as a
// big-endian uint64 v; v is accepted if v < L = 2⁶⁴ − (2⁶⁴ mod n) (the
// largest multiple of n not above 2⁶⁴), and the index is v mod n.
func ChooseIndex(seed string, poolHash [32]byte, n int) int {
	if n <= 0 {
		return 0
	}
	// r = 2⁶⁴ mod n; values v > MaxUint64 − r lie in the incomplete last
	// block and are rejected.
	un := uint64(n)
	r := (math.MaxUint64%un + 1) % un
	for j := uint32(0); ; j++ {
		var buf bytes.Buffer
		buf.WriteString(seed)
		buf.Write(poolHash[:])
		if j > 0 {
			var c [4]byte
			binary.BigEndian.PutUint32(c[:], j)
			buf.Write(c[:])
		}
		dgst := sha256.Sum256(buf.Bytes())
		v := binary.BigEndian.Uint64(dgst[:8])
		if r == 0 || v <= math.MaxUint64-r {
			return int(v % uint64(n))
		}
	}
}

// WaitingList orders ids by SHA-256(seed ‖ poolHash ‖ id) (UTF-8 bytes,
// raw 32 hash bytes), compared as byte strings ascending; equal digests
// (practically impossible) fall back to the id.
func WaitingList(seed string, poolHash [32]byte, ids []string) []string {
	type keyed struct {
		id  string
		key [32]byte
	}
	ks := make([]keyed, len(ids))
	for i, id := range ids {
		buf := make([]byte, 0, len(seed)+32+len(id))
		buf = append(buf, seed...)
		buf = append(buf, poolHash[:]...)
		buf = append(buf, id...)
		ks[i] = keyed{id, sha256.Sum256(buf)}
	}
	sort.Slice(ks, func(a, b int) bool {
		if c := bytes.Compare(ks[a].key[:], ks[b].key[:]); c != 0 {
			return c < 0
		}
		return ks[a].id < ks[b].id
	})
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.id
	}
	return out
}

// PanelsHash is the hex SHA-256 of the panel list serialised as
//
//	mitwirken-panels/1 LF
//	<id> TAB <id> … LF        (one line per list entry, in list order, ids sorted)
func PanelsHash(panels [][]string) string {
	var b bytes.Buffer
	b.WriteString("mitwirken-panels/1\n")
	for _, p := range panels {
		for j, id := range p {
			if j > 0 {
				b.WriteByte('\t')
			}
			b.WriteString(id)
		}
		b.WriteByte('\n')
	}
	h := sha256.Sum256(b.Bytes())
	return hex.EncodeToString(h[:])
}

// poolFromDraw rebuilds the pool from a draw document. Household hashes
// stand in for the keys: equal keys have equal hashes.
func (d *Draw) poolFromDraw() Pool {
	p := Pool{Categories: d.Categories}
	for _, e := range d.Pool {
		p.People = append(p.People, Person{ID: e.ID, Values: e.Values, Household: e.HouseholdHash})
	}
	return p
}

// PoolHashOfEntries recomputes the pool hash from published entries.
func PoolHashOfEntries(categories []Category, entries []PoolEntry) [32]byte {
	names := make([]string, len(categories))
	for i, c := range categories {
		names[i] = c.Name
	}
	return sha256.Sum256(canonicalRows(names, entries))
}

// DrawHasQuotas reads only the categories and households of a DRAW.json
// document, without its distribution and panels, and reports
// Pool.HasQuotas for them: a cheap check before ReadDraw for code that
// needs the whole document only with quotas.
func DrawHasQuotas(doc string) (bool, error) {
	var d struct {
		Categories []Category `json:"categories"`
		Pool       []struct {
			HouseholdHash string `json:"household_hash"`
		} `json:"pool"`
	}
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return false, fmt.Errorf("draw document: %w", err)
	}
	p := Pool{Categories: d.Categories}
	for _, e := range d.Pool {
		p.People = append(p.People, Person{Household: e.HouseholdHash})
	}
	return p.HasQuotas(), nil
}
