package similar

import (
	"encoding/binary"
	"hash/fnv"
)

// Bands is the number of LSH band keys of a text. Each band is one MinHash
// position (one row per band): two texts share a band key when the same
// term is the smallest of both under that band's hash function, which
// happens with the probability of their Jaccard similarity. The number of
// shared keys out of Bands is therefore an estimate of the similarity, and
// ordering candidates by it keeps the most similar ones when there are many.
const Bands = 32

// seeds are fixed so that band keys computed by any instance, at any time,
// agree.
var seeds = func() [Bands]uint64 {
	var out [Bands]uint64
	x := uint64(0x6d69747769726b65) // "mitwirke"
	for i := range out {
		x = splitmix(x)
		out[i] = x
	}
	return out
}()

// splitmix is the finaliser of SplitMix64: a cheap, well-mixing 64-bit
// permutation, used to derive Bands hash functions from one.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func termHash(t string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(t))
	return h.Sum64()
}

// minHash returns, for each band's hash function, the smallest hash of any
// of the terms (the MinHash signature); ok is false for no terms.
func minHash(terms []string) (sig [Bands]uint64, ok bool) {
	for i := range sig {
		sig[i] = ^uint64(0)
	}
	for _, t := range terms {
		h := termHash(t)
		for i, seed := range seeds {
			if v := splitmix(h ^ seed); v < sig[i] {
				sig[i] = v
			}
		}
	}
	return sig, len(terms) > 0
}

// bandKeys turns a signature into its band keys: the band number and the
// band's value hashed into one 64-bit key (stored as BIGINT).
func bandKeys(sig [Bands]uint64) []int64 {
	out := make([]int64, Bands)
	var buf [16]byte
	for i, v := range sig {
		binary.LittleEndian.PutUint64(buf[:8], uint64(i))
		binary.LittleEndian.PutUint64(buf[8:], v)
		h := fnv.New64a()
		h.Write(buf[:])
		out[i] = int64(h.Sum64())
	}
	return out
}
