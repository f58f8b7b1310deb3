package selection

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"sort"
)

// PoolHashVersion is the first line of the canonical pool serialisation.
const PoolHashVersion = "mitwirken-pool/1"

// PoolHash is SHA-256 over the canonical serialisation of the pool
// (docs/selection.md, "Pool-Hash"):
//
//	mitwirken-pool/1 LF
//	categories TAB <category 1> TAB … LF        (category names, sorted bytewise)
//	[household LF]                              (only if any person has a household key)
//	<id> TAB <value in category 1> TAB … [TAB <household hash>] LF   (one line per person, sorted by id bytewise)
//
// The household hash is the lower-case hex SHA-256 of the UTF-8 household
// key, or empty for people without a key. Quotas are not part of the pool
// hash; they are recorded in the draw document.
func PoolHash(pool Pool) [32]byte {
	return sha256.Sum256(CanonicalPool(pool))
}

// CanonicalPool returns the bytes hashed by PoolHash.
func CanonicalPool(pool Pool) []byte {
	rows := make([]poolRow, len(pool.People))
	for i, p := range pool.People {
		rows[i] = poolRow{ID: p.ID, Values: p.Values, HouseholdHash: HouseholdHash(p.Household)}
	}
	names := make([]string, len(pool.Categories))
	for i, c := range pool.Categories {
		names[i] = c.Name
	}
	return canonicalRows(names, rows)
}

// HouseholdHash is the hex SHA-256 of a household key ("" for no key). Draw
// documents publish only this hash, never the key (e.g. an address).
func HouseholdHash(key string) string {
	if key == "" {
		return ""
	}
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:])
}

// poolRow is one person as published in a draw document.
type poolRow struct {
	ID            string            `json:"id"`
	Values        map[string]string `json:"values,omitempty"`
	HouseholdHash string            `json:"household_hash,omitempty"`
}

func canonicalRows(categories []string, rows []poolRow) []byte {
	names := append([]string(nil), categories...)
	sort.Strings(names)
	sorted := append([]poolRow(nil), rows...)
	sort.Slice(sorted, func(a, b int) bool { return sorted[a].ID < sorted[b].ID })
	households := false
	for _, r := range sorted {
		if r.HouseholdHash != "" {
			households = true
		}
	}
	var b bytes.Buffer
	b.WriteString(PoolHashVersion)
	b.WriteByte('\n')
	b.WriteString("categories")
	for _, n := range names {
		b.WriteByte('\t')
		b.WriteString(n)
	}
	b.WriteByte('\n')
	if households {
		b.WriteString("household\n")
	}
	for _, r := range sorted {
		b.WriteString(r.ID)
		for _, n := range names {
			b.WriteByte('\t')
			b.WriteString(r.Values[n])
		}
		if households {
			b.WriteByte('\t')
			b.WriteString(r.HouseholdHash)
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}
