package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// APITokenPrefix marks personal access tokens so that secret scanners and
// people recognise them.
const APITokenPrefix = "mwk_"

// NewToken returns a random secret for a cookie or link and the hash that is
// stored instead of it.
func NewToken() (plain, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the system's randomness source failing is not recoverable
	}
	plain = base64.RawURLEncoding.EncodeToString(b)
	return plain, HashToken(plain)
}

// HashToken is the stored form of a secret token.
func HashToken(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

// Signer makes tamper-proof, expiring, single-purpose values for links that
// work without a login (e.g. "cancel my registration" in a mail) and for
// short-lived cookies. The key is shared by every instance (settings table).
type Signer struct {
	key []byte
	now func() time.Time
}

// NewSigner builds a signer from the installation's secret key.
func NewSigner(key []byte, now func() time.Time) *Signer {
	if now == nil {
		now = time.Now
	}
	return &Signer{key: key, now: now}
}

// Sign binds value to purpose until the expiry. The result is URL-safe.
func (s *Signer) Sign(purpose, value string, ttl time.Duration) string {
	exp := strconv.FormatInt(s.now().Add(ttl).Unix(), 36)
	payload := base64.RawURLEncoding.EncodeToString([]byte(value)) + "." + exp
	return payload + "." + s.mac(purpose, payload)
}

// Verify returns the value of a signed string if it was made for purpose and
// has not expired.
func (s *Signer) Verify(purpose, signed string) (string, bool) {
	i := strings.LastIndexByte(signed, '.')
	if i < 0 {
		return "", false
	}
	payload, sig := signed[:i], signed[i+1:]
	if !hmac.Equal([]byte(sig), []byte(s.mac(purpose, payload))) {
		return "", false
	}
	enc, expStr, ok := strings.Cut(payload, ".")
	if !ok {
		return "", false
	}
	exp, err := strconv.ParseInt(expStr, 36, 64)
	if err != nil || s.now().Unix() > exp {
		return "", false
	}
	value, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return "", false
	}
	return string(value), true
}

func (s *Signer) mac(purpose, payload string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
