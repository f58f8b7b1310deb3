package auth

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/mail"
	"github.com/mitwirken/mitwirken/app/store"
)

// Lifetimes of sessions and mailed links.
const (
	SessionTTL       = 30 * 24 * time.Hour
	VerifyTTL        = 24 * time.Hour
	ResetTTL         = time.Hour
	EmailChangeTTL   = 24 * time.Hour
	throttleWindow   = store.LoginWindow
	maxAccountFailed = 5
	maxIPFailed      = 50
	// Account mails sent on an anonymous request (reset, sign-up,
	// verification) per hour, per address and per client IP.
	mailWindow      = time.Hour
	maxMailsPerAddr = 5
	maxMailsPerIP   = 20
)

// Service runs the account flows. Every flow that sends mail writes it to the
// outbox in the same transaction as its change.
type Service struct {
	Store *store.Store
	Mail  *mail.Composer
	// WakeMail nudges the mail worker after a mail was queued.
	WakeMail func()
	// PasswordChecks counts the password hashes compared by Login (the
	// costly step the throttle protects).
	PasswordChecks atomic.Int64
}

func (s *Service) queue(ctx context.Context, tx *store.Store, kind string, to mail.Recipient, data map[string]any) error {
	return s.Mail.Queue(ctx, tx, kind, to, data)
}

// mailAllowed counts an account mail to addr requested from ip and says
// whether it may be sent. Over the limit the mail is dropped silently: the
// answer page stays the same, so the limit tells nothing about the address.
// ip may be empty (a logged-in request or a tool).
func (s *Service) mailAllowed(ctx context.Context, addr, ip string) (bool, error) {
	n, _, err := s.Store.Hit(ctx, HashToken("mail-addr:"+addr), mailWindow)
	if err != nil || n > maxMailsPerAddr {
		return false, err
	}
	if ip == "" {
		return true, nil
	}
	n, _, err = s.Store.Hit(ctx, HashToken("mail-ip:"+ip), mailWindow)
	return err == nil && n <= maxMailsPerIP, err
}

func (s *Service) wake() {
	if s.WakeMail != nil {
		s.WakeMail()
	}
}

// Signup creates an unverified account and mails the verification link. When
// the address already has an account, that account's owner gets a mail
// instead and the caller cannot tell the difference.
func (s *Service) Signup(ctx context.Context, in app.SignupInput) error {
	in.Clean()
	if err := in.Validate(); err != nil {
		return err
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return app.Internal(err)
	}
	now := s.Store.Now()
	u := &app.User{
		DisplayName: in.DisplayName, PasswordHash: &hash, Role: app.RoleCitizen, Locale: in.Locale,
		PrivacyConsentAt: &now, PrivacyVersion: app.PrivacyVersion,
	}
	email := in.Email
	u.Email = &email
	if in.OrtsteilCode != "" {
		code := in.OrtsteilCode
		u.OrtsteilCode = &code
	}
	mailOK, err := s.mailAllowed(ctx, email, in.IP)
	if err != nil {
		return err
	}
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		existing, err := tx.UserByEmail(ctx, email)
		switch {
		case err == nil:
			// Report a taken pseudonym first: it is public anyway and must not
			// depend on whether the address is known.
			if taken, err := tx.DisplayNameTaken(ctx, in.DisplayName, 0); err != nil || taken {
				if err != nil {
					return err
				}
				return app.FieldInvalid("display_name", "account.display_name_taken")
			}
			if !mailOK {
				return nil
			}
			return s.queue(ctx, tx, "account_exists", mail.To(existing), nil)
		case app.ErrorCode(err) != app.CodeNotFound:
			return err
		}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		if !mailOK {
			return nil // the person can ask for the link again once logged in
		}
		return s.sendVerification(ctx, tx, u)
	})
	if err != nil {
		return err
	}
	s.wake()
	return nil
}

func (s *Service) sendVerification(ctx context.Context, tx *store.Store, u *app.User) error {
	plain, hash := NewToken()
	t := &app.UserToken{UserID: u.ID, Purpose: app.TokenVerifyEmail, TokenHash: hash, ExpiresAt: tx.Now().Add(VerifyTTL)}
	if err := tx.CreateUserToken(ctx, t); err != nil {
		return err
	}
	return s.queue(ctx, tx, "verify_email", mail.To(u), mail.Secret(map[string]any{"Name": u.DisplayName, "Link": "/konto/bestaetigen?token=" + plain}, plain))
}

// ResendVerification mails a fresh link to an unverified account.
func (s *Service) ResendVerification(ctx context.Context, u *app.User) error {
	if u.Verified() {
		return nil
	}
	if ok, err := s.mailAllowed(ctx, u.EmailAddress(), ""); err != nil || !ok {
		return err
	}
	err := s.Store.Tx(ctx, func(tx *store.Store) error { return s.sendVerification(ctx, tx, u) })
	if err == nil {
		s.wake()
	}
	return err
}

// VerifyEmail redeems a verification link.
func (s *Service) VerifyEmail(ctx context.Context, token string) (*app.User, error) {
	var u *app.User
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		t, err := tx.UseUserToken(ctx, HashToken(token), app.TokenVerifyEmail)
		if err != nil {
			return err
		}
		if err := tx.MarkEmailVerified(ctx, t.UserID); err != nil {
			return err
		}
		u, err = tx.UserByID(ctx, t.UserID)
		return err
	})
	return u, err
}

// Login checks a password, throttled per address and per client IP. It never
// tells whether the address has an account.
func (s *Service) Login(ctx context.Context, email, password, ip, userAgent string) (*app.User, string, error) {
	email = app.NormalizeEmail(email)
	var v app.Validator
	v.Email("email", email)
	v.Line("password", password, true, app.MaxPassword)
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	// Count the attempt before the password is checked, in one statement
	// per key: concurrent attempts on any instance each get their own
	// number, so no more than the limit ever reach the password check.
	acctKey, ipKey := HashToken("acct:"+email), HashToken("ip:"+ip)
	if err := s.countAttempt(ctx, acctKey, maxAccountFailed); err != nil {
		return nil, "", err
	}
	if err := s.countAttempt(ctx, ipKey, maxIPFailed); err != nil {
		return nil, "", err
	}
	u, err := s.Store.UserByEmail(ctx, email)
	if err != nil && app.ErrorCode(err) != app.CodeNotFound {
		return nil, "", err
	}
	hash := dummyHash
	if err == nil && u.HasPassword() {
		hash = *u.PasswordHash
	}
	s.PasswordChecks.Add(1)
	ok, cerr := CheckPassword(hash, password)
	if cerr != nil || !ok || err != nil || !u.HasPassword() || u.Erased() {
		return nil, "", app.Errorf(app.CodeInvalid, "account.login_failed")
	}
	// A right password clears the account's count and does not count
	// against the IP.
	if err := s.Store.ClearLoginFailures(ctx, acctKey); err != nil {
		return nil, "", err
	}
	if err := s.Store.Unhit(ctx, ipKey); err != nil {
		return nil, "", err
	}
	token, err := s.StartSession(ctx, u, userAgent)
	return u, token, err
}

func (s *Service) countAttempt(ctx context.Context, key string, limit int) error {
	n, start, err := s.Store.Hit(ctx, key, throttleWindow)
	if err != nil {
		return err
	}
	if n <= limit {
		return nil
	}
	wait := start.Add(throttleWindow).Sub(s.Store.Now())
	if wait < time.Second {
		wait = time.Second
	}
	e := app.Errorf(app.CodeTooMany, "account.login_throttled", "Minutes", int(wait.Minutes())+1)
	e.RetryAfter = wait
	return e
}

// StartSession creates a login for u and returns the cookie value.
func (s *Service) StartSession(ctx context.Context, u *app.User, userAgent string) (string, error) {
	plain, hash := NewToken()
	if len(userAgent) > 200 {
		userAgent = userAgent[:200]
	}
	sess := &app.Session{TokenHash: hash, UserID: u.ID, ExpiresAt: s.Store.Now().Add(SessionTTL), UserAgent: userAgent}
	if err := s.Store.CreateSession(ctx, sess); err != nil {
		return "", err
	}
	return plain, nil
}

// SessionUser resolves a session cookie.
func (s *Service) SessionUser(ctx context.Context, cookie string) (*app.Session, *app.User, error) {
	return s.Store.SessionUser(ctx, HashToken(cookie))
}

// Logout ends the session of this cookie.
func (s *Service) Logout(ctx context.Context, cookie string) error {
	return s.Store.DeleteSession(ctx, HashToken(cookie))
}

// RequestPasswordReset mails a reset link if the address has an account.
func (s *Service) RequestPasswordReset(ctx context.Context, email string) error {
	return s.RequestPasswordResetFrom(ctx, email, "")
}

// RequestPasswordResetFrom is RequestPasswordReset for a request from the
// client IP ip: reset mails are limited per address and per IP.
func (s *Service) RequestPasswordResetFrom(ctx context.Context, email, ip string) error {
	email = app.NormalizeEmail(email)
	var v app.Validator
	v.Email("email", email)
	if err := v.Err(); err != nil {
		return err
	}
	u, err := s.Store.UserByEmail(ctx, email)
	if app.ErrorCode(err) == app.CodeNotFound || (err == nil && u.Erased()) {
		return nil
	}
	if err != nil {
		return err
	}
	if ok, err := s.mailAllowed(ctx, email, ip); err != nil || !ok {
		return err
	}
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		plain, hash := NewToken()
		t := &app.UserToken{UserID: u.ID, Purpose: app.TokenResetPassword, TokenHash: hash, ExpiresAt: tx.Now().Add(ResetTTL)}
		if err := tx.CreateUserToken(ctx, t); err != nil {
			return err
		}
		return s.queue(ctx, tx, "password_reset", mail.To(u), mail.Secret(map[string]any{"Name": u.DisplayName, "Link": "/passwort/neu?token=" + plain}, plain))
	})
	if err == nil {
		s.wake()
	}
	return err
}

// ResetPassword sets a new password through a reset link, ends every
// session and revokes every API token, since whoever had the old password
// is now locked out.
func (s *Service) ResetPassword(ctx context.Context, token, password string) error {
	var v app.Validator
	app.ValidatePassword(&v, "password", password, "")
	if err := v.Err(); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return app.Internal(err)
	}
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		t, err := tx.UseUserToken(ctx, HashToken(token), app.TokenResetPassword)
		if err != nil {
			return err
		}
		u, err := tx.UserByID(ctx, t.UserID)
		if err != nil {
			return err
		}
		if err := tx.SetPassword(ctx, u.ID, hash); err != nil {
			return err
		}
		if !u.Verified() {
			// Following the link proved control of the mailbox.
			if err := tx.MarkEmailVerified(ctx, u.ID); err != nil {
				return err
			}
		}
		if err := tx.DeleteUserSessions(ctx, u.ID, 0); err != nil {
			return err
		}
		revoked, err := tx.DeleteUserAPITokens(ctx, u.ID)
		if err != nil {
			return err
		}
		return s.queue(ctx, tx, "password_changed", mail.To(u), map[string]any{"Name": u.DisplayName, "Tokens": revoked})
	})
	if err == nil {
		s.wake()
	}
	return err
}

// ChangePassword changes the password of a logged-in person, ends their
// other sessions and revokes their API tokens.
func (s *Service) ChangePassword(ctx context.Context, u *app.User, sessionID int64, current, next string) error {
	var v app.Validator
	if u.HasPassword() {
		if ok, _ := CheckPassword(*u.PasswordHash, current); !ok {
			v.Add("current_password", "account.password_wrong")
		}
	}
	app.ValidatePassword(&v, "new_password", next, u.EmailAddress())
	if err := v.Err(); err != nil {
		return err
	}
	hash, err := HashPassword(next)
	if err != nil {
		return app.Internal(err)
	}
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.SetPassword(ctx, u.ID, hash); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID, sessionID); err != nil {
			return err
		}
		// Whoever knew the old password may have made a token with it.
		revoked, err := tx.DeleteUserAPITokens(ctx, u.ID)
		if err != nil {
			return err
		}
		return s.queue(ctx, tx, "password_changed", mail.To(u), map[string]any{"Name": u.DisplayName, "Tokens": revoked})
	})
	if err == nil {
		s.wake()
	}
	return err
}

// RequestEmailChange mails a confirmation link to the new address and a
// notice to the old one. The address changes only when the link is used.
func (s *Service) RequestEmailChange(ctx context.Context, u *app.User, newEmail, password string) error {
	newEmail = app.NormalizeEmail(newEmail)
	var v app.Validator
	v.Email("new_email", newEmail)
	if !v.Has("new_email") && newEmail == u.EmailAddress() {
		v.Add("new_email", "account.email_unchanged")
	}
	if u.HasPassword() {
		if ok, _ := CheckPassword(*u.PasswordHash, password); !ok {
			v.Add("password", "account.password_wrong")
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		plain, hash := NewToken()
		t := &app.UserToken{UserID: u.ID, Purpose: app.TokenChangeEmail, TokenHash: hash, Data: newEmail, ExpiresAt: tx.Now().Add(EmailChangeTTL)}
		if err := tx.CreateUserToken(ctx, t); err != nil {
			return err
		}
		to := mail.To(u)
		to.Email = newEmail
		if err := s.queue(ctx, tx, "email_change", to, mail.Secret(map[string]any{"Name": u.DisplayName, "Link": "/konto/email-bestaetigen?token=" + plain}, plain)); err != nil {
			return err
		}
		if u.EmailAddress() == "" {
			return nil
		}
		return s.queue(ctx, tx, "email_change_notice", mail.To(u), map[string]any{"Name": u.DisplayName})
	})
	if err == nil {
		s.wake()
	}
	return err
}

// ConfirmEmailChange redeems the link sent to the new address.
func (s *Service) ConfirmEmailChange(ctx context.Context, token string) (*app.User, error) {
	var u *app.User
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		t, err := tx.UseUserToken(ctx, HashToken(token), app.TokenChangeEmail)
		if err != nil {
			return err
		}
		if err := tx.ChangeEmail(ctx, t.UserID, t.Data); err != nil {
			return err
		}
		u, err = tx.UserByID(ctx, t.UserID)
		return err
	})
	return u, err
}

// DeleteAccount erases the person's account after they confirmed with their
// password (when they have one).
func (s *Service) DeleteAccount(ctx context.Context, u *app.User, password string, confirmed bool) error {
	var v app.Validator
	if u.HasPassword() {
		if ok, _ := CheckPassword(*u.PasswordHash, password); !ok {
			v.Add("password", "account.password_wrong")
		}
	}
	if !confirmed {
		v.Add("confirm", "account.delete_confirm_required")
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.Store.EraseUser(ctx, u, u.ID)
}

// CreateAPIToken issues a personal access token; the secret is returned once.
func (s *Service) CreateAPIToken(ctx context.Context, actor, owner *app.User, name string) (string, error) {
	name = app.CleanLine(name)
	var v app.Validator
	v.Line("name", name, true, 80)
	if err := v.Err(); err != nil {
		return "", err
	}
	plain, _ := NewToken()
	plain = APITokenPrefix + plain
	t := &app.APIToken{UserID: owner.ID, Name: name, TokenHash: HashToken(plain)}
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateAPIToken(ctx, t); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditTokenCreate, ObjectType: "user", ObjectID: itoaID(owner.ID)})
	})
	return plain, err
}

// APITokenUser resolves a bearer token.
func (s *Service) APITokenUser(ctx context.Context, bearer string) (*app.User, error) {
	_, u, err := s.Store.APITokenUser(ctx, HashToken(bearer))
	return u, err
}
