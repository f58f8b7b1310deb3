package events

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/auth"
	"github.com/mitwirken/mitwirken/app/mail"
	"github.com/mitwirken/mitwirken/app/store"
)

// MaxImportBytes bounds the invitation CSV file.
const MaxImportBytes = 1 << 20

// invitationRow is one valid line of the import.
type invitationRow struct {
	line         int
	organisation string
	kind         string
	bezirk       string
	email        string
	seats        int
}

// Column names the import accepts (lower case, umlauts written out).
var importColumns = map[string][]string{
	"organisation": {"organisation", "organization", "name", "verein", "gremium"},
	"kind":         {"art", "kind", "typ"},
	"bezirk":       {"stadtbezirk", "bezirk", "district"},
	"email":        {"email", "e-mail", "mail", "kontakt", "kontakt-e-mail", "contact email", "contact_email"},
	"seats":        {"plaetze", "sitze", "seats", "anzahl plaetze", "anzahl"},
}

// ImportInvitations invites the organisations of a CSV file (columns
// organisation, art, stadtbezirk, email, plaetze; comma or semicolon;
// UTF-8 or Windows-1252). Every problem is reported with its line, and
// nothing is imported until the whole file is clean. Each organisation gets
// a mail with a single-use link to name its delegates.
func (s *Service) ImportInvitations(ctx context.Context, actor *app.User, eventID int64, data []byte) (int, error) {
	ev, err := s.Store.EventByID(ctx, eventID)
	if err != nil {
		return 0, err
	}
	switch {
	case ev.Allocation != app.AllocInvitation:
		return 0, app.Errorf(app.CodeConflict, "events.not_invitation_event")
	case ev.Cancelled() || !ev.StartsAt.After(s.Store.Now()):
		return 0, app.Errorf(app.CodeGone, "events.invitations_closed")
	}
	rows, err := s.parseInvitations(ctx, ev, data)
	if err != nil {
		return 0, err
	}
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.LockEvent(ctx, eventID); err != nil {
			return err
		}
		for _, row := range rows {
			plain, hash := auth.NewToken()
			inv := &app.Invitation{EventID: eventID, Organisation: row.organisation, Kind: row.kind, Email: row.email, Seats: row.seats, TokenHash: hash}
			if row.bezirk != "" {
				b := row.bezirk
				inv.StadtbezirkCode = &b
			}
			if err := tx.CreateInvitation(ctx, inv); err != nil {
				return err
			}
			if err := s.queueInvitation(ctx, tx, ev, inv, plain); err != nil {
				return err
			}
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditEventInvite, ObjectType: "event", ObjectID: itoa(eventID),
			Details: map[string]any{"invitations": len(rows)}})
	})
	if err != nil {
		return 0, err
	}
	s.wake()
	return len(rows), nil
}

func (s *Service) queueInvitation(ctx context.Context, tx *store.Store, ev *app.Event, inv *app.Invitation, plain string) error {
	d := s.eventData(ev, "de")
	d["Organisation"], d["Seats"], d["Link"] = inv.Organisation, inv.Seats, "/einladung/"+plain
	return s.Mail.Queue(ctx, tx, "event_invitation", mail.Recipient{Email: inv.Email, Lang: "de"}, mail.Secret(d, plain))
}

// ResendInvitation replaces the link of an invitation not used yet and mails it again.
func (s *Service) ResendInvitation(ctx context.Context, eventID, invitationID int64) error {
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.LockEvent(ctx, eventID); err != nil {
			return err
		}
		inv, err := tx.InvitationByID(ctx, invitationID)
		if err != nil || inv.EventID != eventID {
			return firstErr(err, app.NotFound())
		}
		ev, err := tx.EventByID(ctx, eventID)
		if err != nil {
			return err
		}
		plain, hash := auth.NewToken()
		if err := tx.RenewInvitation(ctx, invitationID, hash); err != nil {
			return err
		}
		return s.queueInvitation(ctx, tx, ev, inv, plain)
	})
	if err == nil {
		s.wake()
	}
	return err
}

// parseInvitations reads and checks the whole file.
func (s *Service) parseInvitations(ctx context.Context, ev *app.Event, data []byte) ([]invitationRow, error) {
	var problems []app.RowError
	fail := func(line int, id string, kv ...any) {
		problems = append(problems, app.RowError{Line: line, Msg: app.M(id, kv...)})
	}
	if len(data) > MaxImportBytes {
		fail(0, "events.import_too_large")
		return nil, &app.ImportError{Rows: problems}
	}
	text := decodeCSV(data)
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sniffDelimiter(text)
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err != nil {
		fail(1, "events.import_empty")
		return nil, &app.ImportError{Rows: problems}
	}
	cols := map[string]int{}
	for i, h := range header {
		h = normaliseHeader(h)
		for key, names := range importColumns {
			for _, n := range names {
				if h == n {
					if _, dup := cols[key]; !dup {
						cols[key] = i
					}
				}
			}
		}
	}
	for _, key := range []string{"organisation", "kind", "bezirk", "email", "seats"} {
		if _, ok := cols[key]; !ok {
			fail(1, "events.import_column_missing", "Column", importColumns[key][0])
		}
	}
	if len(problems) > 0 {
		return nil, &app.ImportError{Rows: problems}
	}
	ref, err := s.Store.LoadRefData(ctx)
	if err != nil {
		return nil, err
	}
	var gebiet *app.Stadtgebiet
	if ev.StadtgebietID != nil {
		if gebiet, err = s.Store.StadtgebietByID(ctx, *ev.StadtgebietID); err != nil && app.ErrorCode(err) != app.CodeNotFound {
			return nil, err
		}
	}
	invited, err := s.Store.InvitedOrganisations(ctx, ev.ID)
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	var rows []invitationRow
	seats := 0
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			fail(perr.StartLine, "events.import_syntax")
			break
		}
		if err != nil {
			fail(line, "events.import_syntax")
			break
		}
		if len(rows)+len(problems) >= app.MaxInvitationRows {
			fail(line, "events.import_too_many_rows", "Max", app.MaxInvitationRows)
			break
		}
		if blank(rec) {
			continue
		}
		get := func(key string) string {
			if i := cols[key]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		row := invitationRow{line: line, organisation: app.CleanLine(get("organisation")), email: app.NormalizeEmail(get("email"))}
		before := len(problems)
		key := strings.ToLower(row.organisation)
		switch first, dup := seen[key]; {
		case row.organisation == "":
			fail(line, "events.import_organisation_missing")
		case utf8.RuneCountInString(row.organisation) > app.MaxOrganisationLength || app.HasForbiddenRunes(row.organisation, false) || !utf8.ValidString(row.organisation):
			fail(line, "events.import_organisation_invalid", "Max", app.MaxOrganisationLength)
		case dup:
			fail(line, "events.import_duplicate", "Name", row.organisation, "Line", first)
		case invited[key]:
			fail(line, "events.import_already_invited", "Name", row.organisation)
		default:
			seen[key] = line
		}
		kind, ok := app.ParseInviteeKind(get("kind"))
		if !ok {
			fail(line, "events.import_kind", "Value", clip(get("kind")))
		}
		row.kind = kind
		row.bezirk, ok = parseBezirk(ref, get("bezirk"))
		switch {
		case !ok:
			fail(line, "events.import_bezirk", "Value", clip(get("bezirk")))
		case gebiet != nil && row.bezirk != "" && !slices.Contains(gebiet.Bezirke, row.bezirk):
			b, _ := ref.Stadtbezirk(row.bezirk)
			fail(line, "events.import_bezirk_outside", "Value", b.Name, "Gebiet", gebiet.Name)
		}
		if !app.ValidEmail(row.email) || len(row.email) > app.MaxEmailLength {
			fail(line, "events.import_email", "Value", clip(get("email")))
		}
		n, err := strconv.Atoi(get("seats"))
		if err != nil || n < 1 || n > app.MaxInvitationSeats {
			fail(line, "events.import_seats", "Value", clip(get("seats")), "Max", app.MaxInvitationSeats)
		}
		row.seats = n
		if len(problems) == before {
			rows = append(rows, row)
			seats += n
		}
	}
	if len(problems) == 0 && len(rows) == 0 {
		fail(2, "events.import_no_rows")
	}
	if len(problems) == 0 {
		already, err := s.Store.InvitedSeats(ctx, ev.ID)
		if err != nil {
			return nil, err
		}
		if total := already + seats + ev.PublicSeats; total > ev.Capacity {
			fail(0, "events.import_capacity", "Seats", app.M("events.n_seats", "Count", already+seats),
				"Open", app.M("events.n_open_seats_acc", "Count", ev.PublicSeats), "Capacity", ev.Capacity)
		}
	}
	if len(problems) > 0 {
		return nil, &app.ImportError{Rows: problems}
	}
	return rows, nil
}

// decodeCSV accepts UTF-8 (with or without byte order mark) and, as Excel
// on German Windows writes it, Windows-1252.
func decodeCSV(data []byte) string {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return string(data)
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return string(data)
	}
	return string(out)
}

func sniffDelimiter(text string) rune {
	first, _, _ := strings.Cut(text, "\n")
	best, count := ',', strings.Count(first, ",")
	for _, d := range []rune{';', '\t'} {
		if n := strings.Count(first, string(d)); n > count {
			best, count = d, n
		}
	}
	return best
}

func normaliseHeader(h string) string {
	h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
	return strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "_", " ").Replace(h)
}

// parseBezirk reads a Stadtbezirk by number ("9") or name ("Nord"); empty is
// allowed (city-wide organisations).
func parseBezirk(ref *store.RefData, s string) (string, bool) {
	if s == "" {
		return "", true
	}
	for _, b := range ref.Stadtbezirke {
		if strings.EqualFold(b.Code, s) || strings.EqualFold(b.Name, s) || strings.EqualFold(b.Code+" "+b.Name, s) {
			return b.Code, true
		}
	}
	return "", false
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// clip shortens a value quoted in an error message.
func clip(s string) string {
	if utf8.RuneCountInString(s) > 60 {
		return string([]rune(s)[:60]) + "…"
	}
	return s
}

// OpenInvitation finds the invitation of a link that can still be used.
func (s *Service) OpenInvitation(ctx context.Context, token string) (*app.Invitation, *app.Event, error) {
	inv, err := s.Store.InvitationByToken(ctx, auth.HashToken(token))
	if err != nil {
		return nil, nil, err
	}
	ev, err := s.Store.EventByID(ctx, inv.EventID)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case inv.RevokedAt != nil:
		return nil, nil, app.NotFound()
	case inv.UsedAt != nil:
		return inv, ev, app.Errorf(app.CodeGone, "events.invitation_used")
	case ev.Cancelled():
		return inv, ev, app.Errorf(app.CodeGone, "events.cancelled_no_registration")
	case !ev.StartsAt.After(s.Store.Now()):
		return inv, ev, app.Errorf(app.CodeGone, "events.invitations_closed")
	}
	return inv, ev, nil
}

// NameDelegates redeems an invitation link once: each named delegate gets a
// confirmed seat (mail with calendar entry, QR code and cancellation link),
// each substitute a note, the organisation a summary. The organisation
// cannot name more delegates than its seats.
func (s *Service) NameDelegates(ctx context.Context, token string, ds []app.DelegateInput) error {
	inv, ev, err := s.OpenInvitation(ctx, token)
	if err != nil {
		return err
	}
	for i := range ds {
		ds[i].Clean()
	}
	if err := app.ValidateDelegates(ds, inv.Seats); err != nil {
		return err
	}
	done, err := s.awaitRegistrationTurn(ctx, inv.EventID)
	if err != nil {
		return err
	}
	defer done()
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.UseInvitation(ctx, inv.ID); err != nil {
			return err
		}
		var named []map[string]any
		for _, d := range ds {
			if d.Empty() {
				continue
			}
			invID := inv.ID
			r := &app.Registration{Kind: app.KindDelegate, InvitationID: &invID, Name: d.Name, Email: d.Email,
				SubstituteName: d.SubstituteName, SubstituteEmail: d.SubstituteEmail}
			(&app.RegistrationInput{AccessNeeds: d.AccessNeeds, AccessOther: d.AccessOther}).ApplyTo(r)
			fresh, _, err := tx.RegisterSeat(ctx, inv.EventID, r, func(ev *app.Event) error {
				if ev.Status != app.EventPublished || !ev.StartsAt.After(tx.Now()) {
					return app.Errorf(app.CodeGone, "events.invitations_closed")
				}
				return nil
			}, func(tx *store.Store, ev *app.Event, pos int) error {
				return s.queueStatusMail(ctx, tx, ev, r, recipient{to: mail.Recipient{Email: r.Email, Lang: "de"}, name: r.Name}, pos)
			})
			if err != nil {
				return err
			}
			ev = fresh
			if r.SubstituteEmail != "" {
				sd := s.eventData(ev, "de")
				sd["Name"], sd["Delegate"], sd["Organisation"] = r.SubstituteName, r.Name, inv.Organisation
				if err := s.Mail.Queue(ctx, tx, "event_substitute", mail.Recipient{Email: r.SubstituteEmail, Lang: "de"}, sd); err != nil {
					return err
				}
			}
			named = append(named, map[string]any{"Name": r.Name, "Email": r.Email, "Substitute": r.SubstituteName})
		}
		d := s.eventData(ev, "de")
		d["Organisation"], d["Delegates"] = inv.Organisation, named
		return s.Mail.Queue(ctx, tx, "event_delegates_named", mail.Recipient{Email: inv.Email, Lang: "de"}, d)
	})
	if err == nil {
		s.wake()
	}
	return err
}
