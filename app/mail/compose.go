// Package mail composes and delivers the platform's mails. Mails are written
// to the outbox table in the transaction of the change that causes them; the
// worker delivers them through SMTP with retries, or keeps them readable in
// /admin/outbox when no SMTP server is configured.
package mail

import (
	"bytes"
	"context"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"path"
	"strings"
	texttemplate "text/template"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/i18n"
	"github.com/mitwirken/mitwirken/app/store"
)

// Site describes the installation for mail footers and links.
type Site struct {
	Name    string
	BaseURL string
}

// Composer renders mails from views/mail: KIND.txt and KIND.html, each
// wrapped in the shared layout; the subject is the catalog entry
// "mail.KIND.subject". Templates call T "id" ... to translate and URL "/path"
// for absolute links; both are functions bound to the recipient's language
// when the templates are parsed (once per language), which is much cheaper
// per mail than method calls through reflection.
type Composer struct {
	site  Site
	i18n  *i18n.Bundle
	text  map[string]map[string]*texttemplate.Template // lang -> kind
	html  map[string]map[string]*htmltemplate.Template
	kinds []string
}

// NewComposer parses every mail template once per language.
func NewComposer(fsys fs.FS, bundle *i18n.Bundle, site Site) (*Composer, error) {
	c := &Composer{site: site, i18n: bundle, text: map[string]map[string]*texttemplate.Template{}, html: map[string]map[string]*htmltemplate.Template{}}
	files, err := fs.Glob(fsys, "mail/*.txt")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if kind := strings.TrimSuffix(path.Base(f), ".txt"); kind != "layout" {
			c.kinds = append(c.kinds, kind)
		}
	}
	for _, lang := range i18n.Languages {
		loc := bundle.Localizer(lang)
		funcs := map[string]any{
			"T":   loc.T,
			"URL": func(p string) string { return strings.TrimRight(site.BaseURL, "/") + p },
		}
		textLayout, err := texttemplate.New("layout.txt").Funcs(funcs).ParseFS(fsys, "mail/layout.txt")
		if err != nil {
			return nil, err
		}
		htmlLayout, err := htmltemplate.New("layout.html").Funcs(funcs).ParseFS(fsys, "mail/layout.html")
		if err != nil {
			return nil, err
		}
		c.text[lang], c.html[lang] = map[string]*texttemplate.Template{}, map[string]*htmltemplate.Template{}
		for _, kind := range c.kinds {
			tt, err := texttemplate.Must(textLayout.Clone()).ParseFS(fsys, "mail/"+kind+".txt")
			if err != nil {
				return nil, fmt.Errorf("mail %s.txt: %w", kind, err)
			}
			ht, err := htmltemplate.Must(htmlLayout.Clone()).ParseFS(fsys, "mail/"+kind+".html")
			if err != nil {
				return nil, fmt.Errorf("mail %s.html: %w", kind, err)
			}
			c.text[lang][kind], c.html[lang][kind] = tt, ht
		}
	}
	return c, nil
}

// Kinds lists the mail kinds found.
func (c *Composer) Kinds() []string { return c.kinds }

// Recipient is who a mail goes to.
type Recipient struct {
	UserID *int64
	Email  string
	Lang   string
}

// To addresses a mail to an account in the account's language.
func To(u *app.User) Recipient {
	id := u.ID
	return Recipient{UserID: &id, Email: u.EmailAddress(), Lang: u.Locale}
}

// View is what mail templates see, besides the functions T and URL.
type View struct {
	Site Site
	Lang string
	Data map[string]any
}

// secretsKey holds a mail's secrets in its data; templates cannot name it.
const secretsKey = "mail.secrets"

// Secret records token, which a link in the mail carries, as a secret of the
// mail: it is delivered, hidden from admins while the mail waits and
// removed from the stored copy once the mail is sent (app.OutboxMessage.Secrets).
// It returns data for chaining.
func Secret(data map[string]any, token string) map[string]any {
	secrets, _ := data[secretsKey].([]string)
	data[secretsKey] = append(secrets, token)
	return data
}

// Compose renders a mail of the given kind for a recipient.
func (c *Composer) Compose(kind string, to Recipient, data map[string]any, attachments ...app.MailAttachment) (*app.OutboxMessage, error) {
	m, err := c.header(kind, to, data, attachments)
	if err != nil {
		return nil, err
	}
	if err := c.renderBodies(m, data); err != nil {
		return nil, err
	}
	return m, nil
}

// header is a mail without its bodies: recipient, language and subject.
func (c *Composer) header(kind string, to Recipient, data map[string]any, attachments []app.MailAttachment) (*app.OutboxMessage, error) {
	loc := c.i18n.Localizer(to.Lang)
	if _, ok := c.text[loc.Lang()][kind]; !ok {
		return nil, fmt.Errorf("mail: unknown kind %q", kind)
	}
	if to.Email == "" {
		return nil, fmt.Errorf("mail %s: recipient has no address", kind)
	}
	subjectArgs := []any{}
	for k, val := range data {
		if k != secretsKey {
			subjectArgs = append(subjectArgs, k, val)
		}
	}
	subject := loc.T("mail."+kind+".subject", subjectArgs...)
	return &app.OutboxMessage{
		UserID: to.UserID, Kind: kind, ToAddr: to.Email, Lang: loc.Lang(),
		Subject: "[" + c.site.Name + "] " + subject,
		// A copy: gorm writes the outbox id into the attachments it stores, so
		// a slice shared by several mails must not be reused.
		Attachments: append([]app.MailAttachment(nil), attachments...),
	}, nil
}

// renderBodies writes the text and HTML bodies of m (kind and language set
// by header) and keeps of data's secrets those the bodies show.
func (c *Composer) renderBodies(m *app.OutboxMessage, data map[string]any) error {
	v := View{Site: c.site, Lang: m.Lang, Data: data}
	var text, html bytes.Buffer
	if err := c.text[m.Lang][m.Kind].ExecuteTemplate(&text, "layout", v); err != nil {
		return fmt.Errorf("mail %s text: %w", m.Kind, err)
	}
	if err := c.html[m.Lang][m.Kind].ExecuteTemplate(&html, "layout", v); err != nil {
		return fmt.Errorf("mail %s html: %w", m.Kind, err)
	}
	secrets, err := usedSecrets(data, text.String(), html.String())
	if err != nil {
		return fmt.Errorf("mail %s: %w", m.Kind, err)
	}
	m.BodyText, m.BodyHTML, m.Secrets = text.String(), html.String(), secrets
	return nil
}

// usedSecrets are the secrets of data that the bodies show (a kind may
// leave out a link its data carries). A secret must consist of characters
// that appear unchanged in URLs and HTML, or removing it later could miss
// an escaped copy.
func usedSecrets(data map[string]any, bodies ...string) ([]string, error) {
	all, _ := data[secretsKey].([]string)
	var used []string
	for _, secret := range all {
		if secret == "" || strings.Trim(secret, urlSafe) != "" {
			return nil, fmt.Errorf("a secret is empty or has characters that would be escaped")
		}
		for _, b := range bodies {
			if strings.Contains(b, secret) {
				used = append(used, secret)
				break
			}
		}
	}
	return used, nil
}

const urlSafe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"

// Queue composes a mail and writes it to the outbox through tx, the
// transaction of the change that causes the mail.
func (c *Composer) Queue(ctx context.Context, tx *store.Store, kind string, to Recipient, data map[string]any, attachments ...app.MailAttachment) error {
	m, err := c.Compose(kind, to, data, attachments...)
	if err != nil {
		return app.Internal(err)
	}
	return tx.EnqueueMail(ctx, m)
}
