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
	waiting int
	// met is set when a collection ran while a check held its memory; see
	// release.
	met bool
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
	l.waiting++
	for l.running >= runtime.GOMAXPROCS(0) {
		l.free.Wait()
	}
	l.waiting--
	l.running++
	burst := l.waiting > 0
	l.mu.Unlock()
	if !burst {
		makeRoom(uint64(memoryKiB) << 10)
	}
	start := runtimeMetric("/gc/cycles/total:gc-cycles")
	return func() { l.release(start) }
}

// release ends a check that started at collection cycle start. A check can
// still meet a collection: a login that waits for the CPU holds its memory
// for hundreds of milliseconds while other requests' garbage starts one,
// which finds the check alive and lets the heap grow to three times that
// until the next collection, perhaps half a minute later. In the soaks of
// 2026-12-05 (20:00–20:56) that was 15–35 % of an instance's samples, and
// RSS moved by ±20 % with it. So once the last check of those a collection
// met is done, another one sets the goal by the live data again. It runs
// beside the request, not in it: the login does not wait for it.
func (l *hashLimit) release(start uint64) {
	met := runtimeMetric("/gc/cycles/total:gc-cycles") != start
	l.mu.Lock()
	l.running--
	l.met = l.met || met
	settle := l.met && l.running == 0 && l.waiting == 0
	if settle {
		l.met = false
	}
	l.mu.Unlock()
	l.free.Signal()
	if settle {
		go runtime.GC()
	}
}

// runtimeMetric reads one of the runtime's unsigned metrics by name.
func runtimeMetric(name string) uint64 {
	s := []metrics.Sample{{Name: name}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// makeRoom collects garbage before a check. A collection that starts while
// a check runs finds its memory alive, and until the next one the collector
// lets the heap grow to GOGC (200 %) over that: the live heap of an instance
// switched between 17 and 36 MiB from one collection to the next, and its
// RSS between about 90 and 185 MiB (soak of 2026-12-05 19:46). The check's
// own allocation is what mostly starts them: 19 MiB against a runway of
// 34 MiB over 17 MiB live. Collecting only when the check would cross the
// earliest trigger point, as estimated from runtime/metrics, still let every
// third collection find a check (soak 20:33; the pacer counts the heap a
// little differently), so each check collects first. It costs the login the
// collection (a few ms), which would have run soon anyway. Not where even a
// fresh collection leaves no room for the check, and not in a burst of
// logins, when others wait for a turn (acquire): there the cores are the
// limit, a collection before each check cost a sixth of the logins per
// second (.ci/bench auth: 36 against 45/s), and the memory of the checks at
// once is bounded anyway.
func makeRoom(need uint64) {
	s := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	goal, live := s[0].Value.Uint64(), s[1].Value.Uint64()
	// The collector starts 70 to 95 % of the way from the live heap to the
	// goal; a quarter more for what other requests allocate meanwhile.
	if goal > live && (goal-live)*7/10 > need+need/4 {
		runtime.GC()
	}
}
