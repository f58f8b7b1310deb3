package testenv

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/emersion/go-message/charset" // decode any charset a mail may use
	gomessage "github.com/emersion/go-message/mail"
	"github.com/emersion/go-smtp"
)

// Mail is one message received by the test SMTP server, decoded.
type Mail struct {
	From        string
	To          []string
	Subject     string
	MessageID   string
	Text        string
	HTML        string
	Attachments []MailAttachment
	Raw         []byte
}

// MailAttachment is a decoded attachment.
type MailAttachment struct {
	Filename    string
	ContentType string
	Data        []byte
}

// MailServer is a real SMTP server in the test process. It can be stopped and
// started again on the same port to simulate an outage.
type MailServer struct {
	t    testing.TB
	addr string

	mu     sync.Mutex
	server *smtp.Server
	mails  []*Mail
	notify chan struct{}
}

// StartSMTP starts a server on a free port, stopped when the test ends.
func StartSMTP(t testing.TB) *MailServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtp listen: %v", err)
	}
	m := &MailServer{t: t, addr: l.Addr().String(), notify: make(chan struct{}, 1)}
	m.serve(l)
	t.Cleanup(m.Stop)
	return m
}

// URL is the value for MITWIRKEN_SMTP_URL.
func (m *MailServer) URL() string { return "smtp://" + m.addr + "?tls=none" }

func (m *MailServer) serve(l net.Listener) {
	s := smtp.NewServer(backend{m})
	s.Domain = "localhost"
	s.AllowInsecureAuth = true
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	m.mu.Lock()
	m.server = s
	m.mu.Unlock()
	go func() { _ = s.Serve(l) }()
}

// Stop shuts the server down; connections are refused until Start.
func (m *MailServer) Stop() {
	m.mu.Lock()
	s := m.server
	m.server = nil
	m.mu.Unlock()
	if s != nil {
		_ = s.Close()
	}
}

// Start brings a stopped server back on the same port.
func (m *MailServer) Start() {
	m.t.Helper()
	var l net.Listener
	var err error
	for i := 0; i < 50; i++ {
		if l, err = net.Listen("tcp", m.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		m.t.Fatalf("smtp restart on %s: %v", m.addr, err)
	}
	m.serve(l)
}

// Mails returns every mail received so far.
func (m *MailServer) Mails() []*Mail {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]*Mail(nil), m.mails...)
}

// MailsTo returns the mails received for an address.
func (m *MailServer) MailsTo(addr string) []*Mail {
	var out []*Mail
	for _, mail := range m.Mails() {
		for _, to := range mail.To {
			if strings.EqualFold(to, addr) {
				out = append(out, mail)
			}
		}
	}
	return out
}

// WaitFor waits until a mail to addr whose subject contains subject arrives
// and returns the newest such mail.
func (m *MailServer) WaitFor(addr, subject string) *Mail {
	m.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		found := m.MailsTo(addr)
		for i := len(found) - 1; i >= 0; i-- {
			if strings.Contains(found[i].Subject, subject) {
				return found[i]
			}
		}
		if time.Now().After(deadline) {
			var subjects []string
			for _, mail := range m.Mails() {
				subjects = append(subjects, fmt.Sprintf("%v: %s", mail.To, mail.Subject))
			}
			m.t.Fatalf("no mail to %s with subject containing %q within 15 s; received: %v", addr, subject, subjects)
		}
		select {
		case <-m.notify:
		case <-time.After(50 * time.Millisecond):
		}
	}
}

type backend struct{ m *MailServer }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{m: b.m}, nil }

type session struct {
	m    *MailServer
	from string
	to   []string
}

func (s *session) Reset()                                      { s.from, s.to = "", nil }
func (s *session) Logout() error                               { return nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error   { s.to = append(s.to, to); return nil }

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	mail, err := parseMail(raw)
	if err != nil {
		return err
	}
	mail.From, mail.To = s.from, s.to
	s.m.mu.Lock()
	s.m.mails = append(s.m.mails, mail)
	s.m.mu.Unlock()
	select {
	case s.m.notify <- struct{}{}:
	default:
	}
	return nil
}

func parseMail(raw []byte) (*Mail, error) {
	mr, err := gomessage.CreateReader(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	out := &Mail{Raw: raw}
	out.Subject, _ = mr.Header.Subject()
	out.MessageID, _ = mr.Header.MessageID()
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		body, err := io.ReadAll(p.Body)
		if err != nil {
			return nil, err
		}
		switch h := p.Header.(type) {
		case *gomessage.InlineHeader:
			ct, _, _ := h.ContentType()
			switch ct {
			case "text/plain":
				out.Text = string(body)
			case "text/html":
				out.HTML = string(body)
			}
		case *gomessage.AttachmentHeader:
			name, _ := h.Filename()
			ct, _, _ := h.ContentType()
			out.Attachments = append(out.Attachments, MailAttachment{Filename: name, ContentType: ct, Data: body})
		}
	}
	return out, nil
}

// Link finds the first link in the mail's text that contains fragment.
func (m *Mail) Link(t testing.TB, fragment string) string {
	t.Helper()
	for _, field := range strings.Fields(m.Text) {
		if strings.HasPrefix(field, "http") && strings.Contains(field, fragment) {
			return field
		}
	}
	t.Fatalf("no link containing %q in mail %q:\n%s", fragment, m.Subject, m.Text)
	return ""
}
