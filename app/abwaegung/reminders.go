package abwaegung

import (
	"context"
	"net/url"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/mail"
	"github.com/mitwirken/mitwirken/app/store"
)

// JobInterval is how often every instance runs the background jobs (new
// contributions by the rules, reminders). Both are safe on several
// instances at once: an assessment is created once, a reminder claimed once.
const JobInterval = 60 // seconds

// reminderListLimit is how many open contributions a reminder lists.
const reminderListLimit = 50

// RunJobs runs the background jobs once; errors are logged.
func (s *Service) RunJobs(ctx context.Context) {
	if n, _, err := s.ApplyRules(ctx, nil, false, 500); err != nil {
		s.Log.Warn("abwaegung rules failed", "err", err)
	} else if n > 0 {
		s.Log.Info("abwaegung rules assigned", "count", n)
	}
	if n, err := s.SendReminders(ctx); err != nil {
		s.Log.Warn("abwaegung reminders failed", "err", err)
	} else if n > 0 {
		s.Log.Info("abwaegung reminders sent", "count", n)
	}
}

// dueKind tells which reminder of a batch with this deadline is due today:
// "3" from three working days before, "1" from one working day before, up
// to the deadline; "" otherwise. A run that missed the first day of the
// three-day reminder still sends it, unless the one-day reminder is due.
func dueKind(today, deadline string) string {
	d, ok := app.DeadlineDay(deadline)
	if !ok || today > deadline {
		return ""
	}
	one := WorkingDaysBefore(d, 1).Format("2006-01-02")
	three := WorkingDaysBefore(d, 3).Format("2006-01-02")
	switch {
	case today >= one:
		return "1"
	case today >= three:
		return "3"
	}
	return ""
}

// SendReminders mails the staff of every Fachamt whose batch deadline comes
// close and that still has open work, three and one working days before.
// Each reminder is claimed in the transaction that queues its mails, so it
// goes out exactly once across instances. It returns how many it sent.
func (s *Service) SendReminders(ctx context.Context) (int, error) {
	if s.Mail == nil {
		return 0, nil
	}
	batches, err := s.Store.Batches(ctx, 0)
	if err != nil {
		return 0, err
	}
	today := Today(s.Store.Now())
	sent := 0
	for _, b := range batches {
		kind := dueKind(today, b.Deadline)
		if kind == "" || b.Open == 0 {
			continue
		}
		err := s.Store.Tx(ctx, func(tx *store.Store) error {
			ok, err := tx.ClaimRoundReminder(ctx, b.RoundID, b.FachamtID, kind, b.Open)
			if err != nil || !ok {
				return err
			}
			return s.queueReminder(ctx, tx, b, kind, today)
		})
		if err != nil {
			return sent, err
		}
		sent++
	}
	if sent > 0 {
		s.wake()
	}
	return sent, nil
}

// ReminderItem is one open contribution in a reminder.
type ReminderItem struct {
	Number, State, Excerpt, Path string
}

func (s *Service) queueReminder(ctx context.Context, tx *store.Store, b *store.Batch, kind, today string) error {
	staff, err := tx.FachamtStaff(ctx, b.FachamtID)
	if err != nil || len(staff) == 0 {
		return err
	}
	rows, _, _, err := tx.AssessmentQueue(ctx, store.AssessmentFilter{FachamtID: b.FachamtID, Role: app.RuleLead, RoundID: b.RoundID,
		Deadline: "", PerPage: reminderListLimit, Today: today})
	if err != nil {
		return err
	}
	var items []ReminderItem
	for _, r := range rows {
		if r.State != app.StateOpen && r.State != app.StateDrafted && r.State != app.StateCosigned {
			continue
		}
		items = append(items, ReminderItem{Number: r.PublicNumber(), State: r.State, Excerpt: excerpt(r.Body, 120), Path: "/abwaegung/" + r.PublicNumber()})
	}
	deadline, _ := app.DeadlineDay(b.Deadline)
	data := map[string]any{
		"Fachamt": b.Name, "Short": b.Short, "Round": b.RoundName, "Deadline": deadline.Format("02.01.2006"), "Days": kind,
		"Open": b.Open, "Items": items, "More": b.Open > len(items),
		"QueuePath": "/abwaegung/amt/" + url.PathEscape(b.Short) + "?runde=" + itoa(b.RoundID),
	}
	for _, u := range staff {
		if u.EmailAddress() == "" {
			continue
		}
		d := map[string]any{"Name": u.DisplayName}
		for k, v := range data {
			d[k] = v
		}
		if err := s.Mail.Queue(ctx, tx, "abwaegung_reminder", mail.To(u), d); err != nil {
			return err
		}
	}
	return nil
}

func excerpt(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
