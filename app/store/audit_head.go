package store

import (
	"bufio"
	"context"
	"crypto/hmac"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mitwirken/mitwirken/app"
)

// SignedAuditHead is the newest entry of the audit log at a moment, signed
// with the audit key: `mitwirken audit head` prints it for AG INSEK to file
// (with the Abwägung, say), and `audit verify --head` checks later that the
// log still reaches that entry unchanged.
type SignedAuditHead struct {
	LastID    int64
	LastHash  string
	KeyID     string
	At        time.Time
	Signature string
}

const auditHeadMagic = "mitwirken-audit-head 1"

func (h *SignedAuditHead) signed() string {
	return fmt.Sprintf("%s\nentry: %d\nhash: %s\nkey: %s\nat: %s\n", auditHeadMagic, h.LastID, h.LastHash, h.KeyID, h.At.UTC().Format(time.RFC3339))
}

// String is the text form that ParseAuditHead reads.
func (h *SignedAuditHead) String() string { return h.signed() + "signature: " + h.Signature + "\n" }

// AuditHead signs the current head of the log.
func (s *Store) AuditHead(ctx context.Context) (*SignedAuditHead, error) {
	if err := s.RotateAuditKey(ctx); err != nil {
		return nil, err
	}
	var head auditHead
	if err := s.q(ctx).First(&head, 1).Error; err != nil {
		return nil, s.err(err)
	}
	if head.LastID == 0 { // an empty log: nothing to anchor yet but its emptiness
		k, err := s.currentAuditKey(ctx)
		if err != nil {
			return nil, err
		}
		head.KeyID = k.ID
	}
	key, ok, err := s.auditKeyByID(ctx, head.KeyID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, app.Internal(fmt.Errorf("the newest audit entry was written with key %q, which is not configured", head.KeyID))
	}
	h := &SignedAuditHead{LastID: head.LastID, LastHash: head.LastHash, KeyID: head.KeyID, At: s.Now().Truncate(time.Second)}
	h.Signature = key.mac(h.signed())
	return h, nil
}

func (s *Store) checkHeadSignature(ctx context.Context, h *SignedAuditHead) (bool, error) {
	key, ok, err := s.auditKeyByID(ctx, h.KeyID)
	if err != nil || !ok {
		return false, err
	}
	return hmac.Equal([]byte(key.mac(h.signed())), []byte(h.Signature)), nil
}

// ParseAuditHead reads what SignedAuditHead.String wrote.
func ParseAuditHead(text string) (*SignedAuditHead, error) {
	sc := bufio.NewScanner(strings.NewReader(text))
	fields := map[string]string{}
	first := true
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if first {
			if line != auditHeadMagic {
				return nil, fmt.Errorf("not an exported audit head (first line %q)", line)
			}
			first = false
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("line %q is not \"name: value\"", line)
		}
		fields[k] = strings.TrimSpace(v)
	}
	if first {
		return nil, fmt.Errorf("empty audit head")
	}
	h := &SignedAuditHead{LastHash: fields["hash"], KeyID: fields["key"], Signature: fields["signature"]}
	var err error
	if h.LastID, err = strconv.ParseInt(fields["entry"], 10, 64); err != nil {
		return nil, fmt.Errorf("entry: %w", err)
	}
	if h.At, err = time.Parse(time.RFC3339, fields["at"]); err != nil {
		return nil, fmt.Errorf("at: %w", err)
	}
	if h.LastHash == "" || h.KeyID == "" || h.Signature == "" {
		return nil, fmt.Errorf("hash, key and signature are required")
	}
	return h, nil
}
