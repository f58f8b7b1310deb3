package web

import (
	"crypto/subtle"
	"encoding/json"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/auth"
)

const (
	cookieOAuth   = "mw_oauth"
	cookiePending = "mw_pending"
	oauthTTL      = 10 * time.Minute
	pendingTTL    = 30 * time.Minute
)

func (s *Server) externalLoginRoutes() {
	s.e.GET("/auth/:provider", s.startExternalLogin)
	s.e.GET("/auth/:provider/callback", s.externalCallback)
	s.e.GET("/auth/abschliessen", s.completeExternalForm)
	s.e.POST("/auth/abschliessen", s.completeExternalSignup)
}

// oauthState travels in a signed cookie from the start of a login to the
// callback.
type oauthState struct {
	State    string `json:"s"`
	Verifier string `json:"v"`
	Provider string `json:"p"`
	Link     bool   `json:"l"`
	Next     string `json:"n"`
}

func (s *Server) provider(c echo.Context) (*auth.Provider, error) {
	p, ok := s.providers[c.Param("provider")]
	if !ok {
		return nil, app.NotFound()
	}
	return p, nil
}

func (s *Server) startExternalLogin(c echo.Context) error {
	p, err := s.provider(c)
	if err != nil {
		return err
	}
	state, _ := auth.NewToken()
	verifier, _ := auth.NewToken()
	st := oauthState{State: state, Verifier: verifier, Provider: p.Slug, Next: safeNext(c.QueryParam("next")),
		Link: c.QueryParam("verknuepfen") == "1" && currentUser(c) != nil}
	target, err := p.AuthURL(state, verifier)
	if err != nil {
		return err
	}
	b, _ := json.Marshal(st)
	s.setCookie(c, cookieOAuth, s.signer.Sign("oauth", string(b), oauthTTL), oauthTTL)
	return c.Redirect(303, target)
}

func (s *Server) externalCallback(c echo.Context) error {
	p, err := s.provider(c)
	if err != nil {
		return err
	}
	var st oauthState
	ck, cerr := c.Cookie(cookieOAuth)
	s.clearCookie(c, cookieOAuth)
	if cerr != nil {
		return app.Errorf(app.CodeForbidden, "account.external_state_invalid")
	}
	raw, ok := s.signer.Verify("oauth", ck.Value)
	if !ok || json.Unmarshal([]byte(raw), &st) != nil || st.Provider != p.Slug ||
		subtle.ConstantTimeCompare([]byte(st.State), []byte(c.QueryParam("state"))) != 1 {
		return app.Errorf(app.CodeForbidden, "account.external_state_invalid")
	}
	if c.QueryParam("error") != "" || c.QueryParam("code") == "" {
		return s.redirect(c, "/anmelden", "account.external_cancelled")
	}
	ctx := c.Request().Context()
	ext, err := p.Complete(ctx, c.QueryParam("code"), st.Verifier)
	if err != nil {
		return err
	}
	if st.Link {
		u := currentUser(c)
		if u == nil {
			return app.Unauthorized()
		}
		if err := s.auth.LinkExternal(ctx, u, ext); err != nil {
			return err
		}
		return s.redirect(c, "/profil/zugaenge", "profile.identity_linked")
	}
	u, err := s.auth.ExternalLogin(ctx, ext)
	switch app.ErrorCode(err) {
	case "":
		token, err := s.auth.StartSession(ctx, u, c.Request().UserAgent())
		if err != nil {
			return err
		}
		s.startSession(c, token)
		return s.redirect(c, safeNext(st.Next), "account.logged_in")
	case app.CodeNotFound:
		b, _ := json.Marshal(ext)
		s.setCookie(c, cookiePending, s.signer.Sign("pending", string(b), pendingTTL), pendingTTL)
		return s.redirect(c, "/auth/abschliessen", "")
	}
	return err
}

func (s *Server) pendingExternal(c echo.Context) (*auth.ExternalUser, error) {
	ck, err := c.Cookie(cookiePending)
	if err != nil {
		return nil, app.Errorf(app.CodeGone, "account.external_expired")
	}
	raw, ok := s.signer.Verify("pending", ck.Value)
	var ext auth.ExternalUser
	if !ok || json.Unmarshal([]byte(raw), &ext) != nil {
		return nil, app.Errorf(app.CodeGone, "account.external_expired")
	}
	return &ext, nil
}

func (s *Server) completeExternalForm(c echo.Context) error {
	ext, err := s.pendingExternal(c)
	if err != nil {
		return err
	}
	return s.formPage(c, "account/external_complete", "account.external_complete_title",
		url.Values{"email": {ext.Email}}, ext)
}

func (s *Server) completeExternalSignup(c echo.Context) error {
	ext, err := s.pendingExternal(c)
	if err != nil {
		return err
	}
	var in auth.ExternalSignupInput
	if err := bind(c, &in); err != nil {
		return err
	}
	in.Locale = localizer(c).Lang()
	ctx := c.Request().Context()
	u, err := s.auth.CompleteExternalSignup(ctx, ext, in)
	if err != nil {
		return s.formError(c, "account/external_complete", "account.external_complete_title", err, ext)
	}
	token, err := s.auth.StartSession(ctx, u, c.Request().UserAgent())
	if err != nil {
		return err
	}
	s.clearCookie(c, cookiePending)
	s.startSession(c, token)
	return s.redirect(c, "/", "account.welcome")
}
