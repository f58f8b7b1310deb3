// Package auth holds accounts and logins: password hashing, tokens, the
// account service (sign-up, verification, login throttling, password reset,
// email change, erasure) and login through OpenID Connect / OAuth providers.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: the OWASP recommendation (19 MiB, 2 passes, 1 lane),
// which keeps a login under ~50 ms on the 2-core reference machine.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// HashPassword returns an encoded argon2id hash in the PHC string format.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	release := hashing.acquire(argonMemory)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	release()
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword compares a password with an encoded hash in constant time.
func CheckPassword(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("unknown password hash format")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errors.New("unsupported argon2 version")
	}
	var memory, passes uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &threads); err != nil {
		return false, err
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, err
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, err
	}
	release := hashing.acquire(memory)
	got := argon2.IDKey([]byte(password), salt, passes, memory, threads, uint32(len(want)))
	release()
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is compared against when an address has no account, so that a
// login takes as long whether or not the address is known.
var dummyHash = func() string {
	h, err := HashPassword("no account has this password")
	if err != nil {
		panic(err)
	}
	return h
}()

// hashing lets only as many Argon2id computations run at once as the
// process may use cores (GOMAXPROCS, which follows a container's CPU
// limit). Each holds its whole memory (19 MiB) until it is done, and more of
// them at once finish no sooner on the same cores: without the bound, a
// burst of logins (a registration opening, a login storm) allocated
// 19 MiB per waiting request and could push an instance over its memory
// limit.
var hashing = newHashLimit()

type hashLimit struct {
	mu      sync.Mutex
	free    *sync.Cond
	running int
}

func newHashLimit() *hashLimit {
	l := &hashLimit{}
	l.free = sync.NewCond(&l.mu)
	return l
}

// acquire waits for a turn of a computation of memoryKiB and returns the
// function that ends it.
func (l *hashLimit) acquire(memoryKiB uint32) (release func()) {
	l.mu.Lock()
	for l.running >= runtime.GOMAXPROCS(0) {
		l.free.Wait()
	}
	l.running++
	l.mu.Unlock()
	makeRoom(uint64(memoryKiB) << 10)
	return func() {
		l.mu.Lock()
		l.running--
		l.mu.Unlock()
		l.free.Signal()
	}
}

// makeRoom collects garbage first when a computation of need bytes would
// start a collection. A collection that starts while a check runs finds its
// memory alive, and until the next one the collector lets the heap grow to
// GOGC (200 %) over that: the live heap of an instance then switched between
// 17 and 36 MiB from one collection to the next, and its RSS between about
// 90 and 180 MiB (soak of 2026-12-05). Collecting before the allocation
// costs the login the collection, which would have run soon anyway. Where
// even a fresh collection leaves no room for the check, it is not run.
func makeRoom(need uint64) {
	s := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}, {Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	goal, live, heap := s[0].Value.Uint64(), s[1].Value.Uint64(), s[2].Value.Uint64()
	if goal <= live {
		return
	}
	// The collector starts 70 to 95 % of the way from the live heap to the
	// goal; a quarter more for what other requests allocate meanwhile.
	room := (goal - live) * 7 / 10
	need += need / 4
	if room > need && heap+need >= live+room {
		runtime.GC()
	}
}
