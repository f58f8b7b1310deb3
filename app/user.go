package app

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Role decides what a person may do.
type Role string

const (
	RoleCitizen   Role = "citizen"
	RoleModerator Role = "moderator"
	RoleAdmin     Role = "admin"
)

// Roles lists the roles from least to most privileged.
var Roles = []Role{RoleCitizen, RoleModerator, RoleAdmin}

// Grantable roles are held besides the ranked role above, several at once
// (table user_roles). They rank nothing: RoleFachamt lets staff of a
// Fachamt draft its assessments (with a membership, see FachamtMember);
// RoleAgInsek coordinates, assigns, reviews and publishes the Abwägung
// without user or system administration.
const (
	RoleFachamt Role = "fachamt"
	RoleAgInsek Role = "ag_insek"
)

// GrantableRoles lists the roles of the user_roles table.
var GrantableRoles = []Role{RoleFachamt, RoleAgInsek}

// Grantable reports whether r is held besides the ranked role.
func (r Role) Grantable() bool { return r == RoleFachamt || r == RoleAgInsek }

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, known := range Roles {
		if r == known {
			return true
		}
	}
	return false
}

// AtLeast reports whether r includes the rights of min.
func (r Role) AtLeast(min Role) bool {
	rank := func(x Role) int {
		for i, known := range Roles {
			if x == known {
				return i
			}
		}
		return -1
	}
	return rank(r) >= rank(min) && rank(min) >= 0
}

// Limits of account fields.
const (
	MinDisplayName = 2
	MaxDisplayName = 40
	MinPassword    = 10
	MaxPassword    = 128
)

// PrivacyVersion identifies the privacy notice a person consented to. Raise
// it when the notice changes in substance.
const PrivacyVersion = "2026-11"

// User is an account. Email is nil once the account is erased; the row stays
// so that public contributions keep pointing at "gelöschtes Konto".
type User struct {
	ID               int64
	Email            *string
	EmailVerifiedAt  *time.Time
	DisplayName      string
	PasswordHash     *string
	OrtsteilCode     *string
	Role             Role
	Locale           string
	PrivacyConsentAt *time.Time
	PrivacyVersion   string
	CreatedAt        time.Time
	UpdatedAt        time.Time
	ErasedAt         *time.Time
	// Grants are the grantable roles the person holds (loaded with the
	// session; empty elsewhere unless loaded).
	Grants []Role `gorm:"-"`
}

// Verified reports whether the person confirmed their address; only verified
// accounts take part (comment, register, vote).
func (u *User) Verified() bool { return u != nil && u.EmailVerifiedAt != nil && u.ErasedAt == nil }

// Erased reports whether the account was deleted.
func (u *User) Erased() bool { return u != nil && u.ErasedAt != nil }

// Is reports whether the user holds at least role r.
func (u *User) Is(r Role) bool { return u != nil && u.ErasedAt == nil && u.Role.AtLeast(r) }

// Holds reports whether the user holds the grantable role r.
func (u *User) Holds(r Role) bool {
	if u == nil || u.ErasedAt != nil {
		return false
	}
	for _, g := range u.Grants {
		if g == r {
			return true
		}
	}
	return false
}

// Coordinates reports whether the user may act as AG INSEK in the
// Abwägung: holders of the ag_insek role and admins (who ran the Abwägung
// before the role existed).
func (u *User) Coordinates() bool { return u.Holds(RoleAgInsek) || u.Is(RoleAdmin) }

// EmailAddress returns the address or "" for erased accounts.
func (u *User) EmailAddress() string {
	if u == nil || u.Email == nil {
		return ""
	}
	return *u.Email
}

// Ortsteil returns the Ortsteil code or "".
func (u *User) Ortsteil() string {
	if u == nil || u.OrtsteilCode == nil {
		return ""
	}
	return *u.OrtsteilCode
}

// HasPassword reports whether the account can log in with a password.
func (u *User) HasPassword() bool { return u != nil && u.PasswordHash != nil && *u.PasswordHash != "" }

// SignupInput is what the sign-up form sends.
type SignupInput struct {
	Email          string `form:"email" json:"email"`
	DisplayName    string `form:"display_name" json:"display_name"`
	Password       string `form:"password" json:"password"`
	OrtsteilCode   string `form:"ortsteil" json:"ortsteil"`
	PrivacyConsent bool   `form:"privacy_consent" json:"privacy_consent"`
	Locale         string `form:"-" json:"-"`
	// IP is the client's address, for the limit on mails per IP.
	IP string `form:"-" json:"-"`
}

// Clean normalises the input before validation.
func (in *SignupInput) Clean() {
	in.Email = NormalizeEmail(in.Email)
	in.DisplayName = CleanDisplayName(in.DisplayName)
	in.OrtsteilCode = strings.TrimSpace(in.OrtsteilCode)
}

// Validate checks the form on its own; the store checks what needs the
// database (known Ortsteil, free address and pseudonym).
func (in *SignupInput) Validate() error {
	var v Validator
	v.Email("email", in.Email)
	ValidateDisplayName(&v, "display_name", in.DisplayName)
	ValidatePassword(&v, "password", in.Password, in.Email)
	if in.OrtsteilCode != "" && !validOrtsteilSyntax(in.OrtsteilCode) {
		v.Add("ortsteil", "form.ortsteil_unknown")
	}
	if !in.PrivacyConsent {
		v.Add("privacy_consent", "account.privacy_consent_required")
	}
	return v.Err()
}

// ValidateDisplayName applies the rules for public pseudonyms.
func ValidateDisplayName(v *Validator, field, name string) {
	v.Line(field, name, true, MaxDisplayName)
	if v.Has(field) {
		return
	}
	switch {
	case utf8.RuneCountInString(name) < MinDisplayName:
		v.Add(field, "form.too_short", "Min", MinDisplayName)
	case strings.Contains(name, "@"):
		v.Add(field, "account.display_name_no_email")
	case !validNickname(name):
		v.Add(field, "account.display_name_chars")
	case isReservedName(name):
		v.Add(field, "account.display_name_reserved")
	}
}

// ValidatePassword applies the password rules (NIST SP 800-63B: length over
// composition rules).
func ValidatePassword(v *Validator, field, password, email string) {
	switch {
	case !utf8.ValidString(password):
		v.Add(field, "form.invalid_utf8")
	case password == "":
		v.Add(field, "form.required")
	case utf8.RuneCountInString(password) < MinPassword:
		v.Add(field, "account.password_too_short", "Min", MinPassword)
	case utf8.RuneCountInString(password) > MaxPassword:
		v.Add(field, "form.too_long", "Max", MaxPassword)
	case email != "" && strings.EqualFold(password, email):
		v.Add(field, "account.password_is_email")
	}
}

func validOrtsteilSyntax(code string) bool {
	return len(code) == 2 && code[0] >= '0' && code[0] <= '9' && code[1] >= '0' && code[1] <= '9'
}

// ProfileInput is what the profile form sends.
type ProfileInput struct {
	DisplayName  string `form:"display_name" json:"display_name"`
	OrtsteilCode string `form:"ortsteil" json:"ortsteil"`
	Locale       string `form:"locale" json:"locale"`
}

// Clean normalises the input before validation.
func (in *ProfileInput) Clean() {
	in.DisplayName = CleanDisplayName(in.DisplayName)
	in.OrtsteilCode = strings.TrimSpace(in.OrtsteilCode)
	in.Locale = strings.TrimSpace(in.Locale)
}

// Validate checks the profile form.
func (in *ProfileInput) Validate() error {
	var v Validator
	ValidateDisplayName(&v, "display_name", in.DisplayName)
	if in.OrtsteilCode != "" && !validOrtsteilSyntax(in.OrtsteilCode) {
		v.Add("ortsteil", "form.ortsteil_unknown")
	}
	if in.Locale != "de" && in.Locale != "en" {
		v.Add("locale", "form.choice_invalid")
	}
	return v.Err()
}

// Session is a login on one device, stored server-side so that it can be
// revoked and shared by every app instance.
type Session struct {
	ID         int64
	TokenHash  string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	UserAgent  string
}

// Token purposes for links sent by mail.
const (
	TokenVerifyEmail   = "verify_email"
	TokenResetPassword = "reset_password"
	TokenChangeEmail   = "change_email"
)

// UserToken is a single-purpose secret sent by mail; only its hash is stored.
type UserToken struct {
	ID        int64
	UserID    int64
	Purpose   string
	TokenHash string
	Data      string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// APIToken is a personal access token for the JSON API.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	TokenHash  string
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

// Identity links an account to a login at an external identity provider.
type Identity struct {
	ID        int64
	UserID    int64
	Provider  string
	Issuer    string
	Subject   string
	CreatedAt time.Time
}

// TableName keeps gorm on the table created by the migration.
func (Identity) TableName() string { return "user_identities" }
