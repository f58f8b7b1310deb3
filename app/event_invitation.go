package app

import (
	"fmt"
	"strings"
	"time"
)

// Kinds of invited organisations.
const (
	InviteeBezirksbeirat  = "stadtbezirksbeirat"
	InviteeOrtschaftsrat  = "ortschaftsrat"
	InviteeBuergerverein  = "buergerverein"
	InviteeInitiative     = "initiative"
	InviteeMultiplikator  = "multiplikator"
	MaxInvitationSeats    = 20
	MaxInvitationRows     = 2000
	MaxOrganisationLength = 150
)

// InviteeKinds lists the kinds of invitees.
var InviteeKinds = []string{InviteeBezirksbeirat, InviteeOrtschaftsrat, InviteeBuergerverein, InviteeInitiative, InviteeMultiplikator}

// ParseInviteeKind reads the kind column of the CSV import: the code or the
// German name, case-insensitive ("Bürgerverein/Heimatverein", "Heimatverein").
func ParseInviteeKind(s string) (string, bool) {
	k := strings.ToLower(strings.TrimSpace(s))
	k = strings.NewReplacer("ü", "ue", "ä", "ae", "ö", "oe", "ß", "ss", " ", "", "-", "").Replace(k)
	switch k {
	case "stadtbezirksbeirat", "bezirksbeirat":
		return InviteeBezirksbeirat, true
	case "ortschaftsrat":
		return InviteeOrtschaftsrat, true
	case "buergerverein", "heimatverein", "buergerverein/heimatverein", "buergervereinheimatverein":
		return InviteeBuergerverein, true
	case "initiative":
		return InviteeInitiative, true
	case "multiplikator", "multiplikatorin", "multiplikator:in", "multiplikator*in":
		return InviteeMultiplikator, true
	}
	return "", false
}

// Invitation is an organisation invited to an event with a number of seats.
type Invitation struct {
	ID              int64
	EventID         int64
	Organisation    string
	Kind            string
	StadtbezirkCode *string
	Email           string
	Seats           int
	TokenHash       string
	SentAt          *time.Time
	UsedAt          *time.Time
	RevokedAt       *time.Time
	CreatedAt       time.Time
}

// TableName keeps gorm on the table created by the migration.
func (Invitation) TableName() string { return "event_invitations" }

// Bezirk returns the Stadtbezirk code or "".
func (i *Invitation) Bezirk() string {
	if i.StadtbezirkCode == nil {
		return ""
	}
	return *i.StadtbezirkCode
}

// State is "open", "named" or "revoked".
func (i *Invitation) State() string {
	switch {
	case i.RevokedAt != nil:
		return "revoked"
	case i.UsedAt != nil:
		return "named"
	}
	return "open"
}

// RowError is one problem of an import file, by line.
type RowError struct {
	Line int
	Msg  Msg
}

// ImportError lists every problem of an import file; nothing was imported.
type ImportError struct {
	Rows []RowError
}

func (e *ImportError) Error() string {
	var b strings.Builder
	for _, r := range e.Rows {
		fmt.Fprintf(&b, "line %d: %s; ", r.Line, r.Msg.ID)
	}
	return "import: " + b.String()
}

// DelegateInput is one seat of an organisation: the delegate and, optionally,
// a substitute.
type DelegateInput struct {
	Name            string
	Email           string
	SubstituteName  string
	SubstituteEmail string
	AccessNeeds     []string
	AccessOther     string
}

// Empty reports whether nothing was entered for the seat.
func (d DelegateInput) Empty() bool {
	return d.Name == "" && d.Email == "" && d.SubstituteName == "" && d.SubstituteEmail == "" && len(d.AccessNeeds) == 0 && d.AccessOther == ""
}

// Clean normalises the input.
func (d *DelegateInput) Clean() {
	d.Name, d.SubstituteName = CleanLine(d.Name), CleanLine(d.SubstituteName)
	d.Email, d.SubstituteEmail = NormalizeEmail(d.Email), NormalizeEmail(d.SubstituteEmail)
	d.AccessOther = CleanLine(d.AccessOther)
	if d.AccessOther != "" && !oneOf(NeedOther, d.AccessNeeds) {
		d.AccessNeeds = append(d.AccessNeeds, NeedOther)
	}
}

// DelegateField names the form field of seat i (1-based): "d1_name".
func DelegateField(i int, name string) string { return fmt.Sprintf("d%d_%s", i, name) }

// ValidateDelegates checks the naming form: at least one delegate, at most
// seats, name and address for everybody named, no address twice.
func ValidateDelegates(ds []DelegateInput, seats int) error {
	var v Validator
	named, seen := 0, map[string]bool{}
	if len(ds) > seats {
		// The form renders only seats fields: the message goes to the
		// first one, which the error summary links to.
		v.Add(DelegateField(1, "name"), "events.too_many_delegates", "Count", seats)
	}
	for i, d := range ds {
		n := i + 1
		if d.Empty() {
			continue
		}
		named++
		v.Line(DelegateField(n, "name"), d.Name, true, MaxDisplayName*2)
		v.Email(DelegateField(n, "email"), d.Email)
		if d.SubstituteName != "" || d.SubstituteEmail != "" {
			v.Line(DelegateField(n, "sub_name"), d.SubstituteName, true, MaxDisplayName*2)
			v.Email(DelegateField(n, "sub_email"), d.SubstituteEmail)
		}
		ValidateAccessNeeds(&v, DelegateField(n, "needs"), DelegateField(n, "other"), d.AccessNeeds, d.AccessOther)
		for _, f := range []struct{ field, addr string }{{"email", d.Email}, {"sub_email", d.SubstituteEmail}} {
			if f.addr == "" {
				continue
			}
			if seen[f.addr] {
				v.Add(DelegateField(n, f.field), "events.delegate_email_twice")
			}
			seen[f.addr] = true
		}
	}
	if named == 0 {
		v.Add(DelegateField(1, "name"), "events.delegate_required")
	}
	return v.Err()
}

// MessageInput is a message of the organisers to an event's participants.
type MessageInput struct {
	Subject    string `form:"subject" json:"subject"`
	Body       string `form:"body" json:"body"`
	Recipients string `form:"recipients" json:"recipients"`
}

// Message recipients.
const (
	RecipientsParticipants = "participants"
	RecipientsAll          = "all"
)

// Clean normalises the input.
func (in *MessageInput) Clean() {
	in.Subject, in.Body = CleanLine(in.Subject), CleanText(in.Body)
	if in.Recipients == "" {
		in.Recipients = RecipientsParticipants
	}
}

// Validate checks the message form.
func (in *MessageInput) Validate() error {
	var v Validator
	v.Line("subject", in.Subject, true, 150)
	v.Text("body", in.Body, true, 5000)
	if in.Recipients != RecipientsParticipants && in.Recipients != RecipientsAll {
		v.Add("recipients", "form.choice_invalid")
	}
	return v.Err()
}
