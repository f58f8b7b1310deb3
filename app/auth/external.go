package auth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/url"
	"sync"

	"github.com/markbates/goth"
	"github.com/markbates/goth/providers/github"
	"github.com/markbates/goth/providers/gitlab"
	"github.com/markbates/goth/providers/openidConnect"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// Provider is an external login (the city's OpenID Connect identity provider,
// or another goth provider). The goth provider is built on first use, so that
// an identity provider that is down at start-up does not keep the platform
// from starting.
type Provider struct {
	// Slug names the provider in URLs (/auth/SLUG).
	Slug string
	// Label is the button text, e.g. "Mit Leipzig-Konto anmelden".
	Label string
	// Issuer identifies the provider in stored identities.
	Issuer string

	build func() (goth.Provider, error)
	mu    sync.Mutex
	p     goth.Provider
}

// NewOIDCProvider configures login through an OpenID Connect issuer.
func NewOIDCProvider(issuer, clientID, secret, label, callbackURL string) *Provider {
	discovery := issuer
	if u, err := url.Parse(issuer); err == nil {
		u.Path = trimSlash(u.Path) + "/.well-known/openid-configuration"
		discovery = u.String()
	}
	return &Provider{
		Slug: "oidc", Label: label, Issuer: issuer,
		build: func() (goth.Provider, error) {
			return openidConnect.New(clientID, secret, callbackURL, discovery, "openid", "email", "profile")
		},
	}
}

// NewOAuthProvider configures another goth provider by name (github, gitlab).
func NewOAuthProvider(name, key, secret, label, callbackURL string) (*Provider, error) {
	var build func() (goth.Provider, error)
	switch name {
	case "github":
		build = func() (goth.Provider, error) { return github.New(key, secret, callbackURL, "user:email"), nil }
	case "gitlab":
		build = func() (goth.Provider, error) { return gitlab.New(key, secret, callbackURL, "read_user"), nil }
	default:
		return nil, fmt.Errorf("unknown login provider %q (known: github, gitlab)", name)
	}
	return &Provider{Slug: name, Label: label, Issuer: name, build: build}, nil
}

func (p *Provider) goth() (goth.Provider, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.p != nil {
		return p.p, nil
	}
	gp, err := p.build()
	if err != nil {
		return nil, app.Unavailable(fmt.Errorf("login provider %s: %w", p.Slug, err))
	}
	p.p = gp
	return gp, nil
}

// AuthURL is where the browser goes to log in. state protects against forged
// callbacks; the verifier's challenge binds the code to this browser (PKCE).
func (p *Provider) AuthURL(state, verifier string) (string, error) {
	gp, err := p.goth()
	if err != nil {
		return "", err
	}
	sess, err := gp.BeginAuth(state)
	if err != nil {
		return "", app.Unavailable(err)
	}
	raw, err := sess.GetAuthURL()
	if err != nil {
		return "", app.Unavailable(err)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", app.Internal(err)
	}
	q := u.Query()
	sum := sha256.Sum256([]byte(verifier))
	q.Set("code_challenge", base64.RawURLEncoding.EncodeToString(sum[:]))
	q.Set("code_challenge_method", "S256")
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// ExternalUser is who the provider says logged in.
type ExternalUser struct {
	Provider      string
	Issuer        string
	Subject       string
	Email         string
	EmailVerified bool
	Name          string
}

// Complete exchanges the callback's code for the user's identity.
func (p *Provider) Complete(ctx context.Context, code, verifier string) (*ExternalUser, error) {
	gp, err := p.goth()
	if err != nil {
		return nil, err
	}
	sess, err := gp.BeginAuth("")
	if err != nil {
		return nil, app.Unavailable(err)
	}
	params := url.Values{"code": {code}, "code_verifier": {verifier}}
	if _, err := sess.Authorize(gp, params); err != nil {
		return nil, &app.Error{Code: app.CodeUnauthorized, Msg: app.M("account.external_failed"), Err: err}
	}
	gu, err := gp.FetchUser(sess)
	if err != nil {
		return nil, &app.Error{Code: app.CodeUnauthorized, Msg: app.M("account.external_failed"), Err: err}
	}
	if gu.UserID == "" {
		return nil, &app.Error{Code: app.CodeUnauthorized, Msg: app.M("account.external_failed"), Err: fmt.Errorf("no subject")}
	}
	verified, _ := gu.RawData["email_verified"].(bool)
	name := gu.NickName
	if name == "" {
		name = gu.FirstName
	}
	return &ExternalUser{
		Provider: p.Slug, Issuer: p.Issuer, Subject: gu.UserID,
		Email: app.NormalizeEmail(gu.Email), EmailVerified: verified && gu.Email != "", Name: name,
	}, nil
}

func trimSlash(s string) string {
	for len(s) > 0 && s[len(s)-1] == '/' {
		s = s[:len(s)-1]
	}
	return s
}

// ExternalSignupInput is the completion form after a first external login:
// the person picks a pseudonym and consents, since the provider's real name
// must not become public.
type ExternalSignupInput struct {
	DisplayName    string `form:"display_name"`
	Email          string `form:"email"`
	OrtsteilCode   string `form:"ortsteil"`
	PrivacyConsent bool   `form:"privacy_consent"`
	Locale         string `form:"-"`
}

// ExternalLogin finds the account linked to an external identity.
func (s *Service) ExternalLogin(ctx context.Context, ext *ExternalUser) (*app.User, error) {
	return s.Store.IdentityUser(ctx, ext.Issuer, ext.Subject)
}

// CompleteExternalSignup creates the account for a first external login. An
// address the provider vouches for counts as verified; otherwise a
// verification link is mailed.
func (s *Service) CompleteExternalSignup(ctx context.Context, ext *ExternalUser, in ExternalSignupInput) (*app.User, error) {
	in.DisplayName = app.CleanDisplayName(in.DisplayName)
	in.Email = app.NormalizeEmail(in.Email)
	if ext.EmailVerified {
		in.Email = ext.Email
	}
	var v app.Validator
	app.ValidateDisplayName(&v, "display_name", in.DisplayName)
	v.Email("email", in.Email)
	if in.OrtsteilCode != "" {
		if ok, err := s.Store.OrtsteilExists(ctx, in.OrtsteilCode); err != nil {
			return nil, err
		} else if !ok {
			v.Add("ortsteil", "form.ortsteil_unknown")
		}
	}
	if !in.PrivacyConsent {
		v.Add("privacy_consent", "account.privacy_consent_required")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	now := s.Store.Now()
	email := in.Email
	u := &app.User{Email: &email, DisplayName: in.DisplayName, Role: app.RoleCitizen, Locale: in.Locale,
		PrivacyConsentAt: &now, PrivacyVersion: app.PrivacyVersion}
	if ext.EmailVerified {
		u.EmailVerifiedAt = &now
	}
	if in.OrtsteilCode != "" {
		code := in.OrtsteilCode
		u.OrtsteilCode = &code
	}
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		if _, err := tx.UserByEmail(ctx, email); err == nil {
			return app.FieldInvalid("email", "account.external_email_taken")
		}
		ident := &app.Identity{Provider: ext.Provider, Issuer: ext.Issuer, Subject: ext.Subject}
		if err := tx.CreateUserWithIdentity(ctx, u, ident); err != nil {
			return err
		}
		if !u.Verified() {
			return s.sendVerification(ctx, tx, u)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.wake()
	return u, nil
}

// LinkExternal links an external identity to the logged-in account.
func (s *Service) LinkExternal(ctx context.Context, u *app.User, ext *ExternalUser) error {
	return s.Store.LinkIdentity(ctx, &app.Identity{UserID: u.ID, Provider: ext.Provider, Issuer: ext.Issuer, Subject: ext.Subject})
}
