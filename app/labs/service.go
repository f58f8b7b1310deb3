// Package labs runs future.labs: thematic labs that citizens propose and
// hosts run themselves, and their live boards. Every change of a board goes
// through Apply, which validates it, stores it and appends it to the board's
// event log in one transaction; the realtime hub delivers the log to the
// connected clients, filtered per viewer by Frame.
package labs

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/auth"
	"github.com/mitwirken/mitwirken/app/mail"
	"github.com/mitwirken/mitwirken/app/notify"
	"github.com/mitwirken/mitwirken/app/store"
)

// InviteTTL is how long an invitation link works.
const InviteTTL = 30 * 24 * time.Hour

const invitePurpose = "lab_invite"

// Service runs the lab and board flows.
type Service struct {
	Store    *store.Store
	Mail     *mail.Composer
	WakeMail func()
	Signer   *auth.Signer
	// OnChange is called with the event of a board change once it committed
	// (the hub's room on this instance sends it without reading the log);
	// other instances learn of it through the database.
	OnChange func(ev *app.BoardEvent)
	// Notify tells a lab's followers about new boards and hand-overs
	// (issue 15); nil: nobody is notified.
	Notify *notify.Service

	names nameCache
}

// Access is what a person may do in a lab.
type Access struct {
	Read   bool
	Write  bool
	Host   bool
	Member bool
}

// Access decides what u (nil: logged out) may do in lab l.
func (s *Service) Access(ctx context.Context, l *app.Lab, u *app.User) (Access, error) {
	return s.accessIn(ctx, s.Store, l, u)
}

// accessIn is Access read through st (a transaction).
func (s *Service) accessIn(ctx context.Context, st *store.Store, l *app.Lab, u *app.User) (Access, error) {
	var a Access
	if u != nil && !u.Erased() {
		m, err := st.LabMember(ctx, l.ID, u.ID)
		switch {
		case err == nil:
			a.Member = true
			a.Host = m.Role == app.LabRoleHost
		case app.ErrorCode(err) != app.CodeNotFound:
			return a, err
		}
		if u.Is(app.RoleAdmin) {
			a.Host = true
		}
	}
	staff := u.Is(app.RoleModerator)
	proposer := u != nil && l.ProposedBy != nil && *l.ProposedBy == u.ID
	if !l.Active() {
		a.Read = staff || a.Member || proposer
		a.Host = a.Host && l.Status != app.LabRejected
		return a, nil
	}
	a.Read = l.Open || a.Member || staff
	a.Write = u.Verified() && (a.Member || l.Open || a.Host)
	return a, nil
}

// Propose stores a lab proposed by a citizen (waits for a moderator) or, when
// an admin creates it, an active lab. The creator becomes its first host.
func (s *Service) Propose(ctx context.Context, u *app.User, in app.LabInput) (*app.Lab, error) {
	in.Clean()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	l := &app.Lab{Title: in.Title, Theme: in.Theme, Description: in.Description, Open: in.Open, Status: app.LabProposed, ProposedBy: &u.ID}
	if u.Is(app.RoleAdmin) {
		l.Status = app.LabActive
	}
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateLab(ctx, l, u.ID); err != nil {
			return err
		}
		if l.Status == app.LabActive {
			return tx.AppendAudit(ctx, app.AuditEvent{Actor: u, Action: app.AuditLabCreate, ObjectType: "lab", ObjectID: itoa(l.ID)})
		}
		moderators, err := mailableModerators(ctx, tx)
		if err != nil {
			return err
		}
		for _, m := range moderators {
			if err := s.Mail.Queue(ctx, tx, "lab_proposed", mail.To(m), map[string]any{"Title": l.Title, "Link": "/admin/labs"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.wake()
	return l, nil
}

// mailableModerators lists the moderators with an address. A store error
// fails the proposal (like feedback): a silently lost mail would leave the
// proposal unnoticed.
func mailableModerators(ctx context.Context, tx *store.Store) ([]*app.User, error) {
	users, err := tx.UsersWithRole(ctx, app.RoleModerator)
	if err != nil {
		return nil, err
	}
	var out []*app.User
	for _, u := range users {
		if u.EmailAddress() != "" {
			out = append(out, u)
		}
	}
	return out, nil
}

// Update saves a lab's texts and openness (hosts).
func (s *Service) Update(ctx context.Context, l *app.Lab, acc Access, in app.LabInput) error {
	if !acc.Host {
		return app.Forbidden()
	}
	in.Clean()
	if err := in.Validate(); err != nil {
		return err
	}
	wasOpen := l.Open
	if err := s.Store.UpdateLab(ctx, l.ID, in); err != nil {
		return err
	}
	if wasOpen && !in.Open {
		// Readers who are not members lose access: tell the live boards.
		return s.accessChanged(ctx, l.ID, 0)
	}
	return nil
}

// Review approves or rejects a proposal (moderators) and tells the proposer.
func (s *Service) Review(ctx context.Context, actor *app.User, labID int64, approve bool, reason string) error {
	reason = app.CleanText(reason)
	var v app.Validator
	v.Text("reason", reason, !approve, app.MaxRejectReason)
	if err := v.Err(); err != nil {
		return err
	}
	l, err := s.Store.LabByID(ctx, labID)
	if err != nil {
		return err
	}
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.ReviewLab(ctx, actor, labID, approve, reason); err != nil {
			return err
		}
		if l.ProposedBy == nil {
			return nil
		}
		p, err := tx.UserByID(ctx, *l.ProposedBy)
		if err != nil || p.EmailAddress() == "" {
			return err
		}
		kind := "lab_rejected"
		if approve {
			kind = "lab_approved"
		}
		return s.Mail.Queue(ctx, tx, kind, mail.To(p), map[string]any{"Title": l.Title, "Reason": reason, "Link": "/labs/" + itoa(l.ID)})
	})
	if err == nil {
		s.wake()
	}
	return err
}

// Join makes a verified person a member of an open lab.
func (s *Service) Join(ctx context.Context, l *app.Lab, u *app.User) error {
	if !l.Active() || !l.Open {
		return app.Forbidden()
	}
	if !u.Verified() {
		return app.Errorf(app.CodeForbidden, "account.verify_first")
	}
	return s.Store.AddLabMember(ctx, l.ID, u.ID, app.LabRoleMember)
}

// Leave takes a person out of a lab.
func (s *Service) Leave(ctx context.Context, l *app.Lab, u *app.User) error {
	if err := s.Store.RemoveLabMember(ctx, l.ID, u.ID); err != nil {
		return err
	}
	return s.accessChanged(ctx, l.ID, u.ID)
}

// SetRole makes a member a host or back (hosts).
func (s *Service) SetRole(ctx context.Context, l *app.Lab, acc Access, userID int64, role string) error {
	if !acc.Host {
		return app.Forbidden()
	}
	if role != app.LabRoleHost && role != app.LabRoleMember {
		return app.FieldInvalid("role", "form.choice_invalid")
	}
	if err := s.Store.SetLabMemberRole(ctx, l.ID, userID, role); err != nil {
		return err
	}
	return s.accessChanged(ctx, l.ID, userID)
}

// RemoveMember takes someone out of the lab (hosts).
func (s *Service) RemoveMember(ctx context.Context, l *app.Lab, acc Access, userID int64) error {
	if !acc.Host {
		return app.Forbidden()
	}
	if err := s.Store.RemoveLabMember(ctx, l.ID, userID); err != nil {
		return err
	}
	return s.accessChanged(ctx, l.ID, userID)
}

// accessChanged appends an "access" event to every board of the lab, so
// that every instance re-checks the live connections of userID (0: all).
func (s *Service) accessChanged(ctx context.Context, labID, userID int64) error {
	boards, err := s.Store.LabBoards(ctx, labID)
	if err != nil {
		return err
	}
	for _, b := range boards {
		op := fmt.Sprintf("access:%d:%d", userID, s.Store.Now().UnixNano())
		ev, _, err := s.Store.BoardChange(ctx, b.ID, op, nil, func(*store.Store, *app.Board) (string, any, error) {
			return KindAccess, payload{UserID: userID}, nil
		})
		if err != nil {
			return err
		}
		s.changed(&ev)
	}
	return nil
}

// InviteLink is the invitation link of a lab (path with token).
func (s *Service) InviteLink(l *app.Lab) string { return "/labs/einladung?token=" + s.inviteToken(l) }

func (s *Service) inviteToken(l *app.Lab) string {
	return s.Signer.Sign(invitePurpose, fmt.Sprintf("%d.%d", l.ID, l.InviteGen), InviteTTL)
}

// RenewInviteLink invalidates every link handed out so far (hosts).
func (s *Service) RenewInviteLink(ctx context.Context, l *app.Lab, acc Access) error {
	if !acc.Host {
		return app.Forbidden()
	}
	return s.Store.BumpLabInviteGen(ctx, l.ID)
}

// InviteByMail sends the invitation link to up to MaxInviteEmails
// addresses (hosts). The mails go through the outbox.
func (s *Service) InviteByMail(ctx context.Context, l *app.Lab, acc Access, inviter *app.User, raw string) (int, error) {
	if !acc.Host {
		return 0, app.Forbidden()
	}
	var v app.Validator
	v.Text("emails", raw, true, app.MaxInviteEmails*(app.MaxEmailLength+2))
	if err := v.Err(); err != nil {
		return 0, err
	}
	var addrs []string
	seen := map[string]bool{}
	for _, f := range strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == ' ' || r == '\r' || r == '\t' }) {
		a := app.NormalizeEmail(f)
		if !app.ValidEmail(a) {
			return 0, app.FieldInvalid("emails", "labs.invite_email_invalid", "Address", a)
		}
		if !seen[a] {
			seen[a] = true
			addrs = append(addrs, a)
		}
	}
	if len(addrs) == 0 {
		return 0, app.FieldInvalid("emails", "form.required")
	}
	if len(addrs) > app.MaxInviteEmails {
		return 0, app.FieldInvalid("emails", "labs.invite_too_many", "Max", app.MaxInviteEmails)
	}
	token := s.inviteToken(l)
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		for _, a := range addrs {
			data := mail.Secret(map[string]any{"Title": l.Title, "Inviter": inviter.DisplayName, "Link": "/labs/einladung?token=" + token}, token)
			if err := s.Mail.Queue(ctx, tx, "lab_invite", mail.Recipient{Email: a, Lang: "de"}, data); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	s.wake()
	return len(addrs), nil
}

// InvitedLab checks an invitation token and returns its lab.
func (s *Service) InvitedLab(ctx context.Context, token string) (*app.Lab, error) {
	if len(token) > 500 {
		return nil, app.Errorf(app.CodeGone, "labs.invite_invalid")
	}
	val, ok := s.Signer.Verify(invitePurpose, token)
	if !ok {
		return nil, app.Errorf(app.CodeGone, "labs.invite_invalid")
	}
	idStr, genStr, _ := strings.Cut(val, ".")
	id, err1 := strconv.ParseInt(idStr, 10, 64)
	gen, err2 := strconv.Atoi(genStr)
	if err1 != nil || err2 != nil {
		return nil, app.Errorf(app.CodeGone, "labs.invite_invalid")
	}
	l, err := s.Store.LabByID(ctx, id)
	if err != nil {
		return nil, app.Errorf(app.CodeGone, "labs.invite_invalid")
	}
	if l.InviteGen != gen || !l.Active() {
		return nil, app.Errorf(app.CodeGone, "labs.invite_invalid")
	}
	return l, nil
}

// AcceptInvite makes the person a member of the invited lab.
func (s *Service) AcceptInvite(ctx context.Context, u *app.User, token string) (*app.Lab, error) {
	l, err := s.InvitedLab(ctx, token)
	if err != nil {
		return nil, err
	}
	if !u.Verified() {
		return nil, app.Errorf(app.CodeForbidden, "account.verify_first")
	}
	return l, s.Store.AddLabMember(ctx, l.ID, u.ID, app.LabRoleMember)
}

func (s *Service) wake() {
	if s.WakeMail != nil {
		s.WakeMail()
	}
}

func (s *Service) changed(ev *app.BoardEvent) {
	if s.OnChange != nil {
		s.OnChange(ev)
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// nameCache keeps public names for a short while: the live fan-out resolves
// card authors at delivery time (so an erased account shows as "gelöschtes
// Konto" and no name is kept in the event log).
type nameCache struct {
	mu sync.Mutex
	m  map[int64]cachedName
}

type cachedName struct {
	name string
	at   time.Time
}

const nameTTL = time.Minute

// Names returns the public names of the given accounts ("" when erased).
func (s *Service) Names(ctx context.Context, ids []int64) map[int64]string {
	out := make(map[int64]string, len(ids))
	var missing []int64
	now := time.Now()
	s.names.mu.Lock()
	if s.names.m == nil {
		s.names.m = map[int64]cachedName{}
	}
	for _, id := range ids {
		if c, ok := s.names.m[id]; ok && now.Sub(c.at) < nameTTL {
			out[id] = c.name
		} else {
			missing = append(missing, id)
		}
	}
	s.names.mu.Unlock()
	if len(missing) == 0 {
		return out
	}
	users, err := s.Store.UsersByIDs(ctx, missing)
	if err != nil {
		return out
	}
	s.names.mu.Lock()
	defer s.names.mu.Unlock()
	if len(s.names.m) > 10000 {
		s.names.m = map[int64]cachedName{}
	}
	for _, id := range missing {
		name := ""
		if u, ok := users[id]; ok && !u.Erased() {
			name = u.DisplayName
		}
		s.names.m[id] = cachedName{name, now}
		out[id] = name
	}
	return out
}

// ForgetName drops a cached name (after an erasure or a rename).
func (s *Service) ForgetName(id int64) {
	s.names.mu.Lock()
	delete(s.names.m, id)
	s.names.mu.Unlock()
}

// EventRetention is how long board events are kept for resuming clients.
const EventRetention = 24 * time.Hour

// PruneEvents deletes board events older than EventRetention.
func (s *Service) PruneEvents(ctx context.Context) (int64, error) {
	return s.Store.PruneBoardEvents(ctx, s.Store.Now().Add(-EventRetention))
}
