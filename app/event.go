package app

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// EventFormat is one of the in-person formats of the INSEK process.
type EventFormat string

const (
	FormatKickoff   EventFormat = "auftaktveranstaltung"
	FormatFachforum EventFormat = "fachforum"
	FormatWorkshop  EventFormat = "werkstattgespraech"
	FormatForum     EventFormat = "stadtgebietsforum"
	FormatFutureLab EventFormat = "future_lab"
	FormatOther     EventFormat = "other"
)

// EventFormats lists the formats in the order the process uses them.
var EventFormats = []EventFormat{FormatKickoff, FormatFachforum, FormatWorkshop, FormatForum, FormatFutureLab, FormatOther}

// Valid reports whether f is a known format.
func (f EventFormat) Valid() bool { return oneOf(f, EventFormats) }

// Allocation decides how seats are given out.
type Allocation string

const (
	// AllocFirstCome confirms seats in order of registration; when full,
	// people join the waiting list.
	AllocFirstCome Allocation = "first_come"
	// AllocSelection collects applications; a draw decides after the window.
	AllocSelection Allocation = "selection"
	// AllocInvitation admits invited organisations' delegates (and, if the
	// event has open seats, residents of its Stadtgebiet).
	AllocInvitation Allocation = "invitation"
)

// Allocations lists the allocation modes.
var Allocations = []Allocation{AllocFirstCome, AllocSelection, AllocInvitation}

// Valid reports whether a is a known allocation mode.
func (a Allocation) Valid() bool { return oneOf(a, Allocations) }

// Event statuses.
const (
	EventDraft     = "draft"
	EventPublished = "published"
	EventCancelled = "cancelled"
)

// Draw statuses of selection events.
const (
	DrawAnnounced = "announced"
	DrawDone      = "drawn"
)

// Event is an in-person event with a hard capacity.
type Event struct {
	ID            int64
	Title         string
	Format        EventFormat
	Description   string
	Themes        string // ",wohnen,verkehr,"
	Venue         string
	Address       string
	VenueAccess   string
	StepFree      bool
	StadtgebietID *int64
	// VenueLat and VenueLon are the venue's point (WGS 84, rounded by
	// RoundPoint), optional.
	VenueLat             *float64
	VenueLon             *float64
	StartsAt             time.Time
	EndsAt               time.Time
	RegistrationOpensAt  time.Time
	RegistrationClosesAt time.Time
	Allocation           Allocation
	Capacity             int
	SeatsTaken           int
	PublicSeats          int
	PublicTaken          int
	AutoPromote          bool
	OfferHours           int
	ConfirmHours         int
	ReminderHours        int
	RetentionDays        int
	Status               string
	CancelReason         string
	CancelledAt          *time.Time
	DrawStatus           string
	Sequence             int
	ReminderSentAt       *time.Time
	PurgedAt             *time.Time
	FinalCounts          string
	CreatedBy            *int64
	CreatedAt            time.Time
	UpdatedAt            time.Time
}

// TableName keeps gorm on the table created by the migration.
func (Event) TableName() string { return "events" }

// ThemeCodes returns the event's theme codes.
func (e *Event) ThemeCodes() []string { return splitCodes(e.Themes) }

// HasTheme reports whether the event is tagged with a theme.
func (e *Event) HasTheme(code string) bool { return strings.Contains(e.Themes, ","+code+",") }

// SeatsLeft is the number of seats nobody holds.
func (e *Event) SeatsLeft() int {
	if n := e.Capacity - e.SeatsTaken; n > 0 {
		return n
	}
	return 0
}

// PublicSeatsLeft is the number of seats a citizen can still get.
func (e *Event) PublicSeatsLeft() int {
	n := e.PublicSeats - e.PublicTaken
	if left := e.SeatsLeft(); left < n {
		n = left
	}
	if n < 0 {
		return 0
	}
	return n
}

// Published reports whether the public can see the event.
func (e *Event) Published() bool { return e.Status == EventPublished || e.Status == EventCancelled }

// Cancelled reports whether the organisers called the event off.
func (e *Event) Cancelled() bool { return e.Status == EventCancelled }

// Past reports whether the event has ended.
func (e *Event) Past(now time.Time) bool { return !e.EndsAt.After(now) }

// WindowState tells whether registration is possible at now: "open",
// "not_yet" or "closed".
func (e *Event) WindowState(now time.Time) string {
	switch {
	case now.Before(e.RegistrationOpensAt):
		return "not_yet"
	case !now.Before(e.RegistrationClosesAt) || !now.Before(e.StartsAt):
		return "closed"
	}
	return "open"
}

// RegistrationOpen reports whether people can register at now.
func (e *Event) RegistrationOpen(now time.Time) bool {
	return e.Status == EventPublished && e.WindowState(now) == "open"
}

// Registration statuses.
const (
	RegApplied    = "applied"
	RegConfirmed  = "confirmed"
	RegWaitlisted = "waitlisted"
	RegOffered    = "offered"
	RegCancelled  = "cancelled"
	RegDeclined   = "declined"
	RegExpired    = "expired"
)

// RegistrationStatuses lists every status, in the order the admin filter shows them.
var RegistrationStatuses = []string{RegConfirmed, RegOffered, RegWaitlisted, RegApplied, RegCancelled, RegDeclined, RegExpired}

// HoldsSeat reports whether a status occupies a seat.
func HoldsSeat(status string) bool { return status == RegConfirmed || status == RegOffered }

// ActiveStatus reports whether a registration still takes part (or waits).
func ActiveStatus(status string) bool {
	return status == RegConfirmed || status == RegOffered || status == RegWaitlisted || status == RegApplied
}

// Registration kinds.
const (
	KindPublic   = "public"
	KindDelegate = "delegate"
)

// Registration is a person's place (or wish for one) at an event.
type Registration struct {
	ID              int64
	EventID         int64
	UserID          *int64
	Kind            string
	InvitationID    *int64
	Name            string
	Email           string
	SubstituteName  string
	SubstituteEmail string
	Status          string
	WaitSeq         int64
	Pseudonym       string
	AccessNeeds     string
	AccessOther     string
	AnswersConsent  bool
	AnswerOrtsteil  string
	AnswerAge       string
	AnswerGender    string
	AnswerFirstTime string
	OfferedAt       *time.Time
	OfferExpiresAt  *time.Time
	NotifyPending   string
	ConfirmedAt     *time.Time
	CancelledAt     *time.Time
	CheckedInAt     *time.Time
	LinkNonce       string
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// TableName keeps gorm on the table created by the migration.
func (Registration) TableName() string { return "event_registrations" }

// Needs returns the access need codes.
func (r *Registration) Needs() []string { return splitCodes(r.AccessNeeds) }

// HasNeed reports whether the person asked for an access need.
func (r *Registration) HasNeed(code string) bool {
	return strings.Contains(r.AccessNeeds, ","+code+",")
}

// Access needs a person can ask for.
const (
	NeedStepFree      = "step_free"
	NeedSignLanguage  = "sign_language"
	NeedInductionLoop = "induction_loop"
	NeedChildcare     = "childcare"
	NeedOther         = "other"
)

// AccessNeeds lists the access needs.
var AccessNeeds = []string{NeedStepFree, NeedSignLanguage, NeedInductionLoop, NeedChildcare, NeedOther}

// Answers for selection events.
var (
	AgeBands        = []string{"16_29", "30_44", "45_64", "65_plus"}
	Genders         = []string{"female", "male", "diverse"}
	FirstTimeValues = []string{"yes", "no"}
)

// Limits of event fields.
const (
	MaxEventTitle       = 150
	MaxEventDescription = 10000
	MaxVenue            = 150
	MaxAddress          = 300
	MaxVenueAccess      = 1000
	MaxCapacity         = 10000
	MaxHours            = 14 * 24
	MaxRetentionDays    = 3650
	MaxAccessOther      = 300
	MaxCancelReason     = 1000
	MaxEventDuration    = 14 * 24 * time.Hour
)

// EventInput is what the admin's event form and POST /api/v1/events send.
// Times are RFC 3339 or, from the form, "2006-01-02T15:04" in Berlin time.
type EventInput struct {
	Title       string   `form:"title" json:"title"`
	Format      string   `form:"format" json:"format"`
	Description string   `form:"description" json:"description"`
	Themes      []string `form:"themes" json:"themes"`
	Venue       string   `form:"venue" json:"venue"`
	Address     string   `form:"address" json:"address"`
	VenueAccess string   `form:"venue_access" json:"venue_access"`
	StepFree    bool     `form:"step_free" json:"step_free"`
	// The venue's point as typed ("51,3406"); parsed by Validate.
	VenueLatText         string `form:"venue_lat" json:"-"`
	VenueLonText         string `form:"venue_lon" json:"-"`
	StadtgebietID        string `form:"stadtgebiet_id" json:"-"`
	StadtgebietIDJSON    *int64 `form:"-" json:"stadtgebiet_id"`
	StartsAt             string `form:"starts_at" json:"starts_at"`
	EndsAt               string `form:"ends_at" json:"ends_at"`
	RegistrationOpensAt  string `form:"registration_opens_at" json:"registration_opens_at"`
	RegistrationClosesAt string `form:"registration_closes_at" json:"registration_closes_at"`
	Capacity             Number `form:"capacity" json:"capacity"`
	Allocation           string `form:"allocation" json:"allocation"`
	OpenSeats            Number `form:"open_seats" json:"open_seats"`
	AutoPromote          bool   `form:"auto_promote" json:"auto_promote"`
	OfferHours           Number `form:"offer_hours" json:"offer_hours"`
	ConfirmHours         Number `form:"confirm_hours" json:"confirm_hours"`
	ReminderHours        Number `form:"reminder_hours" json:"reminder_hours"`
	RetentionDays        Number `form:"retention_days" json:"retention_days"`
	Status               string `form:"status" json:"status"`

	// Parsed by Validate.
	Starts, Ends, Opens, Closes time.Time `form:"-" json:"-"`
	VenueLat                    *float64  `form:"-" json:"venue_lat"`
	VenueLon                    *float64  `form:"-" json:"venue_lon"`
}

// Clean normalises the input and fills the defaults.
func (in *EventInput) Clean() {
	in.Title = CleanLine(in.Title)
	in.Format = strings.TrimSpace(in.Format)
	in.Description = CleanText(in.Description)
	in.Venue = CleanLine(in.Venue)
	in.Address = CleanLine(in.Address)
	in.VenueAccess = CleanText(in.VenueAccess)
	in.Allocation = strings.TrimSpace(in.Allocation)
	in.Status = strings.TrimSpace(in.Status)
	in.StadtgebietID = strings.TrimSpace(in.StadtgebietID)
	if in.StadtgebietIDJSON != nil && in.StadtgebietID == "" {
		in.StadtgebietID = strconv.FormatInt(*in.StadtgebietIDJSON, 10)
	}
	var themes []string
	seen := map[string]bool{}
	for _, t := range in.Themes {
		if t = strings.TrimSpace(t); t != "" && !seen[t] {
			seen[t] = true
			themes = append(themes, t)
		}
	}
	in.Themes = themes
	in.OfferHours.Default(48)
	in.ConfirmHours.Default(72)
	in.ReminderHours.Default(24)
	in.RetentionDays.Default(90)
	in.OpenSeats.Default(0)
	if in.Status == "" {
		in.Status = EventPublished
	}
}

// Validate checks the form on its own. now fills an empty registration
// start; the store checks themes and Stadtgebiet against the database.
func (in *EventInput) Validate(now time.Time) error {
	var v Validator
	v.Line("title", in.Title, true, MaxEventTitle)
	if !EventFormat(in.Format).Valid() {
		v.Add("format", "form.choice_invalid")
	}
	v.Text("description", in.Description, false, MaxEventDescription)
	v.Line("venue", in.Venue, true, MaxVenue)
	v.Line("address", in.Address, true, MaxAddress)
	v.Text("venue_access", in.VenueAccess, false, MaxVenueAccess)
	in.validateVenuePoint(&v)
	if len(in.Themes) > 20 {
		v.Add("themes", "form.choice_invalid")
	}
	for _, t := range in.Themes {
		if len(t) > 40 || strings.ContainsAny(t, ", ") {
			v.Add("themes", "form.choice_invalid")
		}
	}
	if in.StadtgebietID != "" {
		if id, err := strconv.ParseInt(in.StadtgebietID, 10, 64); err != nil || id <= 0 {
			v.Add("stadtgebiet_id", "form.choice_invalid")
		}
	} else if in.Format == string(FormatForum) {
		v.Add("stadtgebiet_id", "events.stadtgebiet_required")
	}
	in.Starts = parseEventTime(&v, "starts_at", in.StartsAt, true)
	in.Ends = parseEventTime(&v, "ends_at", in.EndsAt, true)
	in.Opens = parseEventTime(&v, "registration_opens_at", in.RegistrationOpensAt, false)
	in.Closes = parseEventTime(&v, "registration_closes_at", in.RegistrationClosesAt, false)
	if in.Opens.IsZero() && !v.Has("registration_opens_at") {
		in.Opens = now.Truncate(time.Minute)
	}
	if in.Closes.IsZero() && !v.Has("registration_closes_at") {
		in.Closes = in.Starts
	}
	if !in.Starts.IsZero() && !in.Ends.IsZero() {
		switch {
		case !in.Ends.After(in.Starts):
			v.Add("ends_at", "events.ends_before_start")
		case in.Ends.Sub(in.Starts) > MaxEventDuration:
			v.Add("ends_at", "events.too_long")
		}
	}
	if !in.Opens.IsZero() && !in.Closes.IsZero() && !in.Closes.After(in.Opens) {
		v.Add("registration_closes_at", "events.window_order")
	}
	if !in.Closes.IsZero() && !in.Starts.IsZero() && in.Closes.After(in.Starts) {
		v.Add("registration_closes_at", "events.window_after_start")
	}
	v.Number("capacity", in.Capacity, 1, MaxCapacity)
	if !Allocation(in.Allocation).Valid() {
		v.Add("allocation", "form.choice_invalid")
	}
	if in.Allocation == string(AllocInvitation) && !v.Has("capacity") {
		v.Number("open_seats", in.OpenSeats, 0, in.Capacity.Value)
	}
	v.Number("offer_hours", in.OfferHours, 1, MaxHours)
	v.Number("confirm_hours", in.ConfirmHours, 1, MaxHours)
	v.Number("reminder_hours", in.ReminderHours, 0, MaxHours)
	v.Number("retention_days", in.RetentionDays, 1, MaxRetentionDays)
	if in.Status != EventDraft && in.Status != EventPublished {
		v.Add("status", "form.choice_invalid")
	}
	return v.Err()
}

// PublicSeats is the number of seats citizens can get.
func (in *EventInput) PublicSeats() int {
	if in.Allocation == string(AllocInvitation) {
		return in.OpenSeats.Value
	}
	return in.Capacity.Value
}

// ThemesColumn is the stored form of the theme codes.
func (in *EventInput) ThemesColumn() string { return joinCodes(in.Themes) }

// Berlin is the time zone of the events and of every time shown.
var Berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err) // time/tzdata is linked in by the platform package
	}
	return loc
}()

// LocalInputLayout is the value format of <input type="datetime-local">.
const LocalInputLayout = "2006-01-02T15:04"

// parseEventTime reads RFC 3339 or a Berlin wall-clock time. A wall-clock
// time that does not exist (skipped by the change to summer time) is refused
// rather than silently moved.
func parseEventTime(v *Validator, field, s string, required bool) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			v.Add(field, "form.required")
		}
		return time.Time{}
	}
	if len(s) > 40 {
		v.Add(field, "events.datetime_invalid")
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC()
	}
	for _, layout := range []string{LocalInputLayout, "2006-01-02T15:04:05", "2006-01-02 15:04", "02.01.2006, 15:04", "02.01.2006 15:04"} {
		t, err := time.ParseInLocation(layout, s, Berlin)
		if err != nil {
			continue
		}
		if t.Format(layout) != s {
			v.Add(field, "events.time_skipped")
			return time.Time{}
		}
		return t.UTC()
	}
	v.Add(field, "events.datetime_invalid")
	return time.Time{}
}

// LocalInput formats a time for <input type="datetime-local"> in Berlin time.
func LocalInput(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Berlin).Format(LocalInputLayout)
}

// RegistrationInput is what a person sends when registering.
type RegistrationInput struct {
	AccessNeeds     []string `form:"access_needs" json:"access_needs"`
	AccessOther     string   `form:"access_other" json:"access_other"`
	AnswersConsent  bool     `form:"answers_consent" json:"answers_consent"`
	AnswerOrtsteil  string   `form:"answer_ortsteil" json:"ortsteil"`
	AnswerAge       string   `form:"answer_age" json:"age_band"`
	AnswerGender    string   `form:"answer_gender" json:"gender"`
	AnswerFirstTime string   `form:"answer_first_time" json:"first_time"`
	// Selection answers the free quota categories of a selection event
	// (category id → value; form fields answer_cat_<id>).
	Selection map[int64]string `form:"-" json:"selection_answers,omitempty"`
}

// Clean normalises the input.
func (in *RegistrationInput) Clean() {
	in.AccessOther = CleanLine(in.AccessOther)
	in.AnswerOrtsteil = strings.TrimSpace(in.AnswerOrtsteil)
	in.AnswerAge = strings.TrimSpace(in.AnswerAge)
	in.AnswerGender = strings.TrimSpace(in.AnswerGender)
	in.AnswerFirstTime = strings.TrimSpace(in.AnswerFirstTime)
	var needs []string
	seen := map[string]bool{}
	for _, n := range in.AccessNeeds {
		if n = strings.TrimSpace(n); n != "" && !seen[n] {
			seen[n] = true
			needs = append(needs, n)
		}
	}
	in.AccessNeeds = needs
	if in.AccessOther != "" && !seen[NeedOther] {
		in.AccessNeeds = append(in.AccessNeeds, NeedOther)
	}
}

// Validate checks the registration form for an event of the given
// allocation. Answers for the draw are only accepted with consent.
func (in *RegistrationInput) Validate(alloc Allocation) error {
	var v Validator
	ValidateAccessNeeds(&v, "access_needs", "access_other", in.AccessNeeds, in.AccessOther)
	answered := in.AnswerOrtsteil != "" || in.AnswerAge != "" || in.AnswerGender != "" || in.AnswerFirstTime != ""
	if alloc != AllocSelection {
		if answered || in.AnswersConsent {
			v.Add("answers_consent", "events.answers_not_asked")
		}
		return v.Err()
	}
	if in.AnswerOrtsteil != "" && !validOrtsteilSyntax(in.AnswerOrtsteil) {
		v.Add("answer_ortsteil", "form.ortsteil_unknown")
	}
	if in.AnswerAge != "" && !oneOf(in.AnswerAge, AgeBands) {
		v.Add("answer_age", "form.choice_invalid")
	}
	if in.AnswerGender != "" && !oneOf(in.AnswerGender, Genders) {
		v.Add("answer_gender", "form.choice_invalid")
	}
	if in.AnswerFirstTime != "" && !oneOf(in.AnswerFirstTime, FirstTimeValues) {
		v.Add("answer_first_time", "form.choice_invalid")
	}
	if answered && !in.AnswersConsent {
		v.Add("answers_consent", "events.answers_consent_required")
	}
	return v.Err()
}

// ValidateAccessNeeds checks access need codes and the free text.
func ValidateAccessNeeds(v *Validator, field, otherField string, needs []string, other string) {
	for _, n := range needs {
		if !oneOf(n, AccessNeeds) {
			v.Add(field, "form.choice_invalid")
		}
	}
	v.Line(otherField, other, false, MaxAccessOther)
}

// ApplyTo copies the answers into a registration (only with consent).
func (in *RegistrationInput) ApplyTo(r *Registration) {
	r.AccessNeeds = joinCodes(in.AccessNeeds)
	r.AccessOther = in.AccessOther
	if in.AnswersConsent {
		r.AnswersConsent = true
		r.AnswerOrtsteil, r.AnswerAge, r.AnswerGender, r.AnswerFirstTime = in.AnswerOrtsteil, in.AnswerAge, in.AnswerGender, in.AnswerFirstTime
	}
}

// EventLogEntry is one line of an event's seat log.
type EventLogEntry struct {
	ID             int64
	EventID        int64
	RegistrationID *int64
	Action         string
	At             time.Time
	ActorID        *int64
	Details        string
}

// TableName keeps gorm on the table created by the migration.
func (EventLogEntry) TableName() string { return "event_log" }

// Actions of the event log.
const (
	LogOffer    = "offer"
	LogAccept   = "accept"
	LogDecline  = "decline"
	LogExpire   = "expire"
	LogPromote  = "promote"
	LogCancel   = "cancel"
	LogCheckin  = "checkin"
	LogSelected = "selected"
	LogErased   = "erased"
)

// Audit actions of the events feature.
const (
	AuditEventCreate   = "event.create"
	AuditEventUpdate   = "event.update"
	AuditEventCancel   = "event.cancel"
	AuditEventExport   = "event.export"
	AuditEventCheckin  = "event.checkin"
	AuditEventAnnounce = "event.draw_announce"
	AuditEventDraw     = "event.draw"
	AuditEventMessage  = "event.message"
	AuditEventInvite   = "event.invitations_import"
)

// Stadtgebiet is a named group of Stadtbezirke.
type Stadtgebiet struct {
	ID        int64
	Name      string
	Position  int
	Example   bool
	CreatedAt time.Time
	UpdatedAt time.Time
	// Bezirke are the Stadtbezirk codes (loaded separately).
	Bezirke []string `gorm:"-"`
}

// TableName keeps gorm on the table created by the migration.
func (Stadtgebiet) TableName() string { return "stadtgebiete" }

// StadtgebietInput is what the admin's Stadtgebiet form sends.
type StadtgebietInput struct {
	Name     string   `form:"name" json:"name"`
	Position Number   `form:"position" json:"position"`
	Example  bool     `form:"example" json:"example"`
	Bezirke  []string `form:"bezirke" json:"bezirke"`
}

// Clean normalises the input.
func (in *StadtgebietInput) Clean() {
	in.Name = CleanLine(in.Name)
	seen := map[string]bool{}
	var codes []string
	for _, b := range in.Bezirke {
		if b = strings.TrimSpace(b); !seen[b] {
			seen[b] = true
			codes = append(codes, b)
		}
	}
	in.Bezirke = codes
}

// Validate checks the form on its own.
func (in *StadtgebietInput) Validate() error {
	var v Validator
	v.Line("name", in.Name, true, 80)
	if len(in.Bezirke) == 0 {
		v.Add("bezirke", "events.bezirke_required")
	}
	if len(in.Bezirke) > 10 {
		v.Add("bezirke", "form.choice_invalid")
	}
	for _, b := range in.Bezirke {
		if len(b) != 1 || b[0] < '0' || b[0] > '9' {
			v.Add("bezirke", "form.choice_invalid")
		}
	}
	pos := in.Position
	pos.Default(0)
	v.Number("position", pos, 0, 1000)
	return v.Err()
}

func oneOf[T comparable](x T, list []T) bool {
	for _, y := range list {
		if x == y {
			return true
		}
	}
	return false
}

func splitCodes(s string) []string {
	var out []string
	for _, c := range strings.Split(s, ",") {
		if c != "" {
			out = append(out, c)
		}
	}
	return out
}

func joinCodes(codes []string) string {
	if len(codes) == 0 {
		return ""
	}
	return "," + strings.Join(codes, ",") + ","
}

// EventDraw is the published record of a selection draw: announced (pool
// frozen, seed source named) and later drawn (seed applied). Document is the
// DRAW.json that `mitwirken selection verify` checks.
type EventDraw struct {
	EventID     int64 `gorm:"primaryKey;autoIncrement:false"`
	Algorithm   string
	SeedSource  string
	PoolSize    int
	Seats       int
	PoolHash    string
	PanelsHash  string
	AnnouncedAt time.Time
	AnnouncedBy *int64
	Seed        *string
	Witnesses   string
	ChosenIndex *int
	DrawnAt     *time.Time
	DrawnBy     *int64
	ConfirmBy   *time.Time
	Document    string
}

// TableName keeps gorm on the table created by the migration.
func (EventDraw) TableName() string { return "event_draws" }

// WitnessList returns the witnesses, one per line.
func (d *EventDraw) WitnessList() []string {
	return strings.Split(strings.TrimSpace(d.Witnesses), "\n")
}

// DrawAnnounceInput is what the moderator enters when closing applications.
type DrawAnnounceInput struct {
	SeedSource string `form:"seed_source" json:"seed_source"`
}

// Validate checks the announcement.
func (in *DrawAnnounceInput) Validate() error {
	in.SeedSource = CleanText(in.SeedSource)
	var v Validator
	v.Text("seed_source", in.SeedSource, true, 1000)
	return v.Err()
}

// DrawInput is what the moderator enters at the draw: the random value, as
// announced, and the witnesses.
type DrawInput struct {
	Seed      string `form:"seed" json:"seed"`
	Witnesses string `form:"witnesses" json:"witnesses"`
}

// Validate checks the draw form. The seed is used byte for byte, so it is
// only checked, never changed (apart from the line ending a form may add).
func (in *DrawInput) Validate() ([]string, error) {
	in.Seed = strings.TrimRight(in.Seed, "\r\n")
	in.Witnesses = CleanText(in.Witnesses)
	var v Validator
	v.Line("seed", in.Seed, true, 500)
	v.Text("witnesses", in.Witnesses, false, 2000)
	var names []string
	for _, w := range strings.Split(in.Witnesses, "\n") {
		if w = strings.TrimSpace(w); w != "" {
			names = append(names, w)
		}
	}
	if len(names) > 20 {
		v.Add("witnesses", "events.too_many_witnesses")
	}
	return names, v.Err()
}

// Number is a whole-number input that keeps what was typed: a wrong value
// gets a message next to its field instead of failing the whole request.
// It binds from forms (echo's BindUnmarshaler) and from JSON (number or
// numeric string).
type Number struct {
	Value int
	Set   bool
	Bad   bool
}

// N is a set Number, for code that builds inputs.
func N(v int) Number { return Number{Value: v, Set: true} }

// UnmarshalParam reads a form value.
func (n *Number) UnmarshalParam(s string) error {
	*n = Number{}
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		n.Bad = true
		return nil
	}
	n.Value, n.Set = v, true
	return nil
}

// UnmarshalJSON reads a JSON number or numeric string.
func (n *Number) UnmarshalJSON(b []byte) error {
	*n = Number{}
	if string(b) == "null" {
		return nil
	}
	var v int
	if json.Unmarshal(b, &v) == nil {
		n.Value, n.Set = v, true
		return nil
	}
	var s string
	if json.Unmarshal(b, &s) == nil {
		return n.UnmarshalParam(s)
	}
	n.Bad = true
	return nil
}

// MarshalJSON writes the value (null when unset).
func (n Number) MarshalJSON() ([]byte, error) {
	if !n.Set {
		return []byte("null"), nil
	}
	return json.Marshal(n.Value)
}

// Default sets the value when nothing was entered.
func (n *Number) Default(v int) {
	if !n.Set && !n.Bad {
		n.Value, n.Set = v, true
	}
}

// Number checks a whole number between min and max.
func (v *Validator) Number(field string, n Number, min, max int) {
	switch {
	case n.Bad:
		v.Add(field, "events.number_invalid")
	case !n.Set:
		v.Add(field, "form.required")
	case n.Value < min || n.Value > max:
		v.Add(field, "form.number_range", "Min", min, "Max", max)
	}
}

// NeedLabelID is the message id of an access need's label ("other" is a
// reserved word in the catalogs).
func NeedLabelID(code string) string {
	if code == NeedOther {
		return "events.need.misc"
	}
	return "events.need." + code
}

// FormatLabelID is the message id of a format's name ("other" is a reserved
// word in the catalogs).
func FormatLabelID(f EventFormat) string {
	if f == FormatOther {
		return "events.format.misc"
	}
	return "events.format." + string(f)
}
