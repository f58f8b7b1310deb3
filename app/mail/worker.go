package mail

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// Delivery policy.
const (
	claimLease   = 2 * time.Minute
	claimBatch   = 20
	maxAttempts  = 12
	firstBackoff = 30 * time.Second
	maxBackoff   = 2 * time.Hour
)

// Worker delivers due outbox messages. Several workers on several instances
// may run at once: each message is leased to one of them.
type Worker struct {
	store    *store.Store
	sender   Sender // nil: keep mails in the outbox as "logged"
	log      *slog.Logger
	interval time.Duration
	domain   string
	wake     chan struct{}
	// Composer renders the mails queued with QueueLater before they are
	// sent; without it such mails fail.
	Composer *Composer
	// OnPass is called after every pass with the remaining backlog (metrics).
	OnPass func(backlog int64)
}

// NewWorker builds a worker. domain goes into Message-IDs.
func NewWorker(s *store.Store, sender Sender, log *slog.Logger, interval time.Duration, domain string) *Worker {
	if interval <= 0 {
		interval = 5 * time.Second
	}
	return &Worker{store: s, sender: sender, log: log, interval: interval, domain: domain, wake: make(chan struct{}, 1)}
}

// Wake asks the worker to look at the outbox now rather than at its next tick.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	t := time.NewTicker(w.interval)
	defer t.Stop()
	for {
		if _, err := w.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			w.log.Warn("outbox pass failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-w.wake:
		}
	}
}

// DeliverDue makes one pass over the due messages and returns how many it
// handled.
func (w *Worker) DeliverDue(ctx context.Context) (int, error) {
	handled := 0
	for {
		claim := newClaimToken()
		claimer := w.store.ClaimDueMail
		if w.sender == nil {
			claimer = w.store.ClaimDueMailHeaders
		}
		batch, err := claimer(ctx, claim, claimLease, claimBatch)
		if err != nil {
			return handled, err
		}
		if w.sender == nil {
			w.keep(ctx, batch, claim)
		} else {
			for i := range batch {
				w.deliver(ctx, &batch[i], claim)
			}
		}
		handled += len(batch)
		if len(batch) < claimBatch {
			break
		}
	}
	if w.OnPass != nil {
		if n, err := w.store.OutboxBacklog(ctx); err == nil {
			w.OnPass(n)
		}
	}
	return handled, nil
}

// keep records mails as kept in the outbox when no SMTP server is
// configured: they stay readable at /admin/outbox. The address is personal
// data and stays out of the log.
func (w *Worker) keep(ctx context.Context, batch []app.OutboxMessage, claim string) {
	if len(batch) == 0 {
		return
	}
	ids := make([]int64, len(batch))
	for i, m := range batch {
		ids[i] = m.ID
		w.log.Debug("mail kept in the outbox (no SMTP configured)", "mail_id", m.ID, "kind", m.Kind, "subject", m.Subject)
	}
	// One line a batch: a demo start or a draw queues dozens at once.
	w.log.Info("mails kept in the outbox (no SMTP configured)", "count", len(ids), "first_id", ids[0], "last_id", ids[len(ids)-1])
	if err := w.store.FinishLoggedMail(ctx, ids, claim); err != nil {
		w.log.Warn("record kept mails", "err", err)
	}
}

func (w *Worker) deliver(ctx context.Context, m *app.OutboxMessage, claim string) {
	log := w.log.With("mail_id", m.ID, "kind", m.Kind)
	err := w.render(ctx, m, claim)
	if err == nil {
		sendCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
		err = w.sender.Send(sendCtx, m, w.messageID(m))
		cancel()
	}
	if err == nil {
		log.Info("mail sent")
		if err := w.store.FinishMail(ctx, m.ID, claim, app.MailSent, "", time.Time{}); err != nil {
			log.Error("record sent mail", "err", err)
		}
		return
	}
	attempt := m.Attempts + 1
	status, next := app.MailPending, w.store.Now().Add(backoff(attempt))
	if attempt >= maxAttempts {
		status = app.MailFailed
	}
	log.Warn("mail delivery failed", "attempt", attempt, "retry_at", next, "err", err)
	if err := w.store.FinishMail(ctx, m.ID, claim, status, err.Error(), next); err != nil {
		log.Error("record failed mail", "err", err)
	}
}

// render makes the bodies of a mail queued with QueueLater and stores them
// before the mail goes out, so that the stored copy is what was sent and
// loses its links like any other once delivered.
func (w *Worker) render(ctx context.Context, m *app.OutboxMessage, claim string) error {
	if m.RenderData == "" {
		return nil
	}
	if w.Composer == nil {
		return fmt.Errorf("mail %d: queued for rendering, but the worker has no composer", m.ID)
	}
	if err := w.Composer.Render(m); err != nil {
		return err
	}
	return w.store.SaveRenderedMail(ctx, m, claim)
}

// messageID is stable per outbox entry, so that a resend after a crash between
// handing the mail to SMTP and recording it can be recognised as a duplicate.
func (w *Worker) messageID(m *app.OutboxMessage) string {
	return fmt.Sprintf("outbox-%d.%d@%s", m.ID, m.CreatedAt.Unix(), w.domain)
}

func backoff(attempt int) time.Duration {
	d := time.Duration(float64(firstBackoff) * math.Pow(2, float64(attempt-1)))
	if d > maxBackoff || d <= 0 {
		return maxBackoff
	}
	return d
}

func newClaimToken() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
