package app

import "time"

// What a person can follow (Follow.TargetKind). An Ortsteil is followed by
// its official number (TargetID 0..95), an event format by
// FormatFollowID.
const (
	FollowChapter      = "chapter"
	FollowContribution = "contribution"
	FollowEvent        = "event"
	FollowLab          = "lab"
	FollowOrtsteil     = "ortsteil"
	FollowFormat       = "format"
	FollowSurvey       = "survey"
)

// FollowKinds lists the targets a person can follow.
var FollowKinds = []string{FollowChapter, FollowContribution, FollowEvent, FollowLab, FollowOrtsteil, FollowFormat, FollowSurvey}

// formatFollowIDs number the event formats for follows.target_id. The
// numbers are stored: never renumber, only add.
var formatFollowIDs = map[EventFormat]int64{
	FormatKickoff: 1, FormatFachforum: 2, FormatWorkshop: 3, FormatForum: 4, FormatFutureLab: 5, FormatOther: 6,
}

// FormatFollowID is the follow target number of an event format.
func FormatFollowID(f EventFormat) int64 { return formatFollowIDs[f] }

// FormatOfFollowID is the event format of a follow target number.
func FormatOfFollowID(id int64) (EventFormat, bool) {
	for f, n := range formatFollowIDs {
		if n == id {
			return f, true
		}
	}
	return "", false
}

// Notification kinds. Each has its own e-mail preference.
const (
	NotifyReply           = "reply"            // a reply to a followed contribution
	NotifyAnswer          = "answer"           // the official answer to a followed contribution
	NotifyAssessed        = "assessed"         // its assessment was published
	NotifyNewContribution = "new_contribution" // a new contribution in a followed chapter or Ortsteil
	NotifyEventChanged    = "event_changed"    // a followed event changed
	NotifyEventCancelled  = "event_cancelled"  // a followed event was cancelled
	NotifyLabBoard        = "lab_board"        // a followed lab opened a new board
	NotifyLabResult       = "lab_result"       // a followed lab handed results over
	NotifyNewDate         = "event_new"        // a new date of a followed event format was published
	NotifySurveyOpened    = "survey_opened"    // a followed survey opened
)

// NotifyKinds lists every kind in the order "Mein Konto" shows them.
var NotifyKinds = []string{NotifyReply, NotifyAnswer, NotifyAssessed, NotifyNewContribution,
	NotifyEventChanged, NotifyEventCancelled, NotifyNewDate, NotifyLabBoard, NotifyLabResult, NotifySurveyOpened}

// E-mail modes of a notification kind.
const (
	MailImmediately = "immediately"
	MailDaily       = "daily"
	MailWeekly      = "weekly"
	MailNever       = "never"
)

// MailModes lists the modes in the order the form offers them.
var MailModes = []string{MailImmediately, MailDaily, MailWeekly, MailNever}

// DefaultMailMode is the mode of a kind a person has not chosen: news about
// one's own or a followed contribution and about events comes at once, the
// busier kinds in the daily digest.
func DefaultMailMode(kind string) string {
	switch kind {
	case NotifyNewContribution, NotifyNewDate, NotifyLabBoard, NotifyLabResult:
		return MailDaily
	}
	return MailImmediately
}

// IsNotifyKind reports whether kind is a known notification kind.
func IsNotifyKind(kind string) bool { return inList(NotifyKinds, kind) }

// IsFollowKind reports whether kind is a known follow target.
func IsFollowKind(kind string) bool { return inList(FollowKinds, kind) }

// IsMailMode reports whether mode is a known e-mail mode.
func IsMailMode(mode string) bool { return inList(MailModes, mode) }

func inList(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Follow is one person following one target.
type Follow struct {
	ID         int64
	UserID     int64
	TargetKind string
	TargetID   int64
	CreatedAt  time.Time
}

// TableName keeps gorm on the table created by the migration.
func (Follow) TableName() string { return "follows" }

// FollowInput is the follow/unfollow form.
type FollowInput struct {
	Kind   string `form:"kind"`
	ID     int64  `form:"id"`
	Follow bool   `form:"follow"`
	Back   string `form:"back"`
}

// MaxBackLength bounds the return address of the follow form.
const MaxBackLength = 300

// Validate checks the target kind and number and the return address.
func (in *FollowInput) Validate() error {
	var v Validator
	if !IsFollowKind(in.Kind) {
		v.Add("kind", "form.choice_invalid")
	}
	_, isFormat := FormatOfFollowID(in.ID)
	if in.ID < 0 || (in.Kind == FollowOrtsteil && in.ID > 99) || (in.Kind != FollowOrtsteil && in.ID == 0) ||
		(in.Kind == FollowFormat && !isFormat) {
		v.Add("id", "form.choice_invalid")
	}
	if len(in.Back) > MaxBackLength {
		v.Add("back", "form.too_long", "Max", MaxBackLength)
	}
	return v.Err()
}

// Notification is one entry of a person's notification list.
type Notification struct {
	ID          int64
	UserID      int64
	Kind        string
	SubjectKind string
	SubjectID   int64
	// Title is a snapshot of a public name (chapter, event or lab title,
	// contribution number), never text a person wrote.
	Title     string
	URL       string `gorm:"column:url"`
	CreatedAt time.Time
	ReadAt    *time.Time
	MailState string
	DigestID  *int64
}

// Notification mail states.
const (
	NotifyMailPending = "pending" // waits for a digest
	NotifyMailDone    = "done"    // mailed, or not to be mailed
)

// TableName keeps gorm on the table created by the migration.
func (Notification) TableName() string { return "notifications" }

// NotifyPref is one person's e-mail mode for one kind.
type NotifyPref struct {
	UserID int64  `gorm:"primaryKey"`
	Kind   string `gorm:"primaryKey"`
	Mode   string
}

// TableName keeps gorm on the table created by the migration.
func (NotifyPref) TableName() string { return "notify_prefs" }

// NotifyPrefsInput is the preferences form: one mode per kind.
type NotifyPrefsInput map[string]string

// Validate checks that every kind is known and has a known mode.
func (in NotifyPrefsInput) Validate() error {
	var v Validator
	for kind, mode := range in {
		if !IsNotifyKind(kind) {
			return Errorf(CodeInvalid, "error.invalid")
		}
		if !IsMailMode(mode) {
			v.Add("mode_"+kind, "form.choice_invalid")
		}
	}
	return v.Err()
}
