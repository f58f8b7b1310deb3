package mail

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// QueueLater writes a mail to the outbox through tx like Queue, but with the
// data its templates need instead of its bodies: the worker renders it
// before sending (Render). Rendering both bodies cost about a quarter of a
// registration's CPU in a rush (issue 17), and the request that queues the
// mail does not need them. The subject is made now, so that lists of mails
// and the personal data export show it. data must survive a JSON round trip
// (strings, numbers, booleans, and structs whose exported fields templates
// read by name).
func (c *Composer) QueueLater(ctx context.Context, tx *store.Store, kind string, to Recipient, data map[string]any, attachments ...app.MailAttachment) error {
	m, err := c.header(kind, to, data, attachments)
	if err != nil {
		return app.Internal(err)
	}
	secrets, _ := data[secretsKey].([]string)
	for _, secret := range secrets {
		if secret == "" || strings.Trim(secret, urlSafe) != "" {
			return app.Internal(fmt.Errorf("mail %s: a secret is empty or has characters that would be escaped", kind))
		}
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return app.Internal(fmt.Errorf("mail %s data: %w", kind, err))
	}
	// Until the mail is rendered every secret counts: the admin's view
	// hides them all, and Render keeps those the bodies show.
	m.Secrets, m.RenderData = append([]string(nil), secrets...), string(raw)
	return tx.EnqueueMail(ctx, m)
}

// Render writes the bodies of a mail queued with QueueLater into m; a mail
// that has its bodies stays as it is.
func (c *Composer) Render(m *app.OutboxMessage) error {
	if m.RenderData == "" {
		return nil
	}
	data, err := decodeRenderData(m.RenderData)
	if err != nil {
		return fmt.Errorf("mail %d data: %w", m.ID, err)
	}
	if _, ok := c.text[m.Lang][m.Kind]; !ok {
		return fmt.Errorf("mail %d: unknown kind %q or language %q", m.ID, m.Kind, m.Lang)
	}
	if err := c.renderBodies(m, data); err != nil {
		return err
	}
	m.RenderData = ""
	return nil
}

// decodeRenderData reads the stored template data back. Whole numbers come
// back as int64 (a waiting-list position prints as "3", not "3e+00"), and
// the secrets as the []string that usedSecrets expects.
func decodeRenderData(raw string) (map[string]any, error) {
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	var data map[string]any
	if err := dec.Decode(&data); err != nil {
		return nil, err
	}
	for k, v := range data {
		data[k] = plainNumbers(v)
	}
	if list, ok := data[secretsKey].([]any); ok {
		secrets := make([]string, 0, len(list))
		for _, s := range list {
			str, _ := s.(string)
			secrets = append(secrets, str)
		}
		data[secretsKey] = secrets
	}
	return data, nil
}

func plainNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = plainNumbers(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = plainNumbers(x[k])
		}
	}
	return v
}
