package mail

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/mitwirken/mitwirken/app"
)

// Sender delivers one message. The SMTP sender is the real one; tests use the
// same SMTP sender against an in-process SMTP server.
type Sender interface {
	Send(ctx context.Context, m *app.OutboxMessage, messageID string) error
}

// SMTPSender delivers through an SMTP server named by a URL:
//
//	smtp://user:pass@host:587              STARTTLS required
//	smtp://host:25?tls=opportunistic       STARTTLS when offered
//	smtp://host:25?tls=none                plain (local relays, tests)
//	smtps://user:pass@host:465             implicit TLS
type SMTPSender struct {
	host string
	opts []gomail.Option
	from string
}

// NewSMTPSender parses the URL; it does not connect.
func NewSMTPSender(rawURL, from string) (*SMTPSender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("MITWIRKEN_SMTP_URL: %w", err)
	}
	host := u.Hostname()
	if host == "" {
		return nil, fmt.Errorf("MITWIRKEN_SMTP_URL: no host")
	}
	opts := []gomail.Option{gomail.WithTimeout(20 * time.Second)}
	port := 587
	switch u.Scheme {
	case "smtp":
	case "smtps":
		port = 465
		opts = append(opts, gomail.WithSSL())
	default:
		return nil, fmt.Errorf("MITWIRKEN_SMTP_URL: scheme must be smtp or smtps")
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("MITWIRKEN_SMTP_URL: port: %w", err)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if u.Scheme == "smtp" {
		switch u.Query().Get("tls") {
		case "", "starttls", "required":
			opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
		case "opportunistic":
			opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
		case "none":
			opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
		default:
			return nil, fmt.Errorf("MITWIRKEN_SMTP_URL: tls must be starttls, opportunistic or none")
		}
	}
	if u.User != nil {
		pass, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pass))
	}
	return &SMTPSender{host: host, opts: opts, from: from}, nil
}

// Send delivers one message over a fresh connection.
func (s *SMTPSender) Send(ctx context.Context, m *app.OutboxMessage, messageID string) error {
	msg, err := s.build(m, messageID)
	if err != nil {
		return err
	}
	client, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return err
	}
	return client.DialAndSendWithContext(ctx, msg)
}

func (s *SMTPSender) build(m *app.OutboxMessage, messageID string) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return nil, fmt.Errorf("mail from: %w", err)
	}
	if err := msg.To(m.ToAddr); err != nil {
		return nil, fmt.Errorf("mail to: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(messageID)
	msg.SetDateWithValue(m.CreatedAt)
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	for _, k := range sortedKeys(m.Headers) {
		msg.SetGenHeader(gomail.Header(k), m.Headers[k])
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.BodyText)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.BodyHTML)
	for _, a := range m.Attachments {
		if err := msg.AttachReader(a.Filename, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
			return nil, err
		}
	}
	return msg, nil
}

func sortedKeys(h map[string]string) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
