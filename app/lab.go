package app

import (
	"strings"
	"time"
)

// Lab states.
const (
	LabProposed = "proposed"
	LabActive   = "active"
	LabRejected = "rejected"
)

// Roles inside a lab.
const (
	LabRoleHost   = "host"
	LabRoleMember = "member"
)

// Limits of labs and boards.
const (
	MaxLabTitle       = 120
	MaxLabTheme       = 80
	MaxLabDescription = 5000
	MaxRejectReason   = 1000
	MaxBoardTitle     = 120
	MaxColumnTitle    = 60
	MaxColumns        = 12
	MaxCardText       = 500
	MaxCardsPerBoard  = 1000
	MaxVotesPerPerson = 50
	MaxTimerMinutes   = 120
	MaxInviteEmails   = 20
)

// Audit actions of future.labs.
const (
	AuditLabApprove   = "lab.approve"
	AuditLabReject    = "lab.reject"
	AuditLabCreate    = "lab.create"
	AuditCardHandover = "lab.card_handover"
)

// Lab is a thematic, self-organised working group with boards.
type Lab struct {
	ID           int64
	Title        string
	Theme        string
	Description  string
	Status       string
	Open         bool
	InviteGen    int
	ProposedBy   *int64
	ReviewedBy   *int64
	ReviewedAt   *time.Time
	RejectReason string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Active reports whether the lab runs (approved, not archived).
func (l *Lab) Active() bool { return l.Status == LabActive }

// LabMember is a person in a lab, as host or member.
type LabMember struct {
	LabID     int64
	UserID    int64
	Role      string
	CreatedAt time.Time
}

// TableName keeps gorm on the migration's table.
func (LabMember) TableName() string { return "lab_members" }

// LabInput is what the lab form sends (proposal, creation and edit).
type LabInput struct {
	Title       string `form:"title" json:"title"`
	Theme       string `form:"theme" json:"theme"`
	Description string `form:"description" json:"description"`
	Open        bool   `form:"open" json:"open"`
}

// Clean normalises the input before validation.
func (in *LabInput) Clean() {
	in.Title, in.Theme = CleanLine(in.Title), CleanLine(in.Theme)
	in.Description = CleanText(in.Description)
}

// Validate checks the lab form.
func (in *LabInput) Validate() error {
	var v Validator
	v.Line("title", in.Title, true, MaxLabTitle)
	if !v.Has("title") && len([]rune(in.Title)) < 3 {
		v.Add("title", "form.too_short", "Min", 3)
	}
	v.Line("theme", in.Theme, true, MaxLabTheme)
	v.Text("description", in.Description, true, MaxLabDescription)
	return v.Err()
}

// Board phases, in their usual order.
const (
	PhaseCollect = "collect"
	PhaseVote    = "vote"
	PhaseDiscuss = "discuss"
	PhaseClosed  = "closed"
)

// Phases lists the board phases in order.
var Phases = []string{PhaseCollect, PhaseVote, PhaseDiscuss, PhaseClosed}

// CardColors are the colours a card may have.
var CardColors = []string{"yellow", "green", "blue", "pink", "orange", "grey"}

// ValidCardColor reports whether c is one of CardColors.
func ValidCardColor(c string) bool {
	for _, k := range CardColors {
		if c == k {
			return true
		}
	}
	return false
}

// ValidPhase reports whether p is a board phase.
func ValidPhase(p string) bool {
	for _, k := range Phases {
		if p == k {
			return true
		}
	}
	return false
}

// Board is a live board of a lab: columns of cards.
type Board struct {
	ID             int64
	LabID          int64
	Title          string
	Anonymous      bool
	Phase          string
	VotesPerPerson int
	VotesRevealed  bool
	PrivateWriting bool
	TimerEndsAt    *time.Time
	LastSeq        int64
	CreatedBy      *int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// CanAddCards reports whether the phase takes new cards.
func (b *Board) CanAddCards() bool { return b.Phase == PhaseCollect || b.Phase == PhaseDiscuss }

// CanVote reports whether the phase takes dots.
func (b *Board) CanVote() bool { return b.Phase == PhaseVote }

// Closed reports whether the board is read-only.
func (b *Board) Closed() bool { return b.Phase == PhaseClosed }

// BoardColumn is a column of a board.
type BoardColumn struct {
	ID        int64     `json:"id"`
	BoardID   int64     `json:"-"`
	Title     string    `json:"title"`
	Position  int       `json:"position"`
	CreatedAt time.Time `json:"-"`
}

// TableName keeps gorm on the migration's table.
func (BoardColumn) TableName() string { return "board_columns" }

// Card is a note on a board.
type Card struct {
	ID           int64
	BoardID      int64
	ColumnID     int64
	Position     float64
	Body         string
	Color        string
	AuthorID     int64
	Concealed    bool
	Hidden       bool
	Version      int
	HandedOverAt *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TableName keeps gorm on the migration's table.
func (Card) TableName() string { return "board_cards" }

// BoardVote is one dot on a card.
type BoardVote struct {
	ID        int64
	BoardID   int64
	CardID    int64
	UserID    int64
	CreatedAt time.Time
}

// TableName keeps gorm on the migration's table.
func (BoardVote) TableName() string { return "board_votes" }

// BoardEvent is one entry of a board's event log.
type BoardEvent struct {
	BoardID int64
	Seq     int64
	OpID    string
	Kind    string
	Payload string
	ActorID *int64
	At      time.Time
}

// TableName keeps gorm on the migration's table.
func (BoardEvent) TableName() string { return "board_events" }

// BoardInput is what the new-board form sends.
type BoardInput struct {
	Title          string `form:"title"`
	Columns        string `form:"columns"`
	Anonymous      bool   `form:"anonymous"`
	PrivateWriting bool   `form:"private_writing"`
	VotesPerPerson int    `form:"votes_per_person"`
	HideVotes      bool   `form:"hide_votes"`
}

// Clean normalises the input before validation.
func (in *BoardInput) Clean() {
	in.Title = CleanLine(in.Title)
	in.Columns = CleanText(in.Columns)
}

// ColumnTitles splits the columns field into one title per line.
func (in *BoardInput) ColumnTitles() []string {
	var out []string
	for _, l := range strings.Split(in.Columns, "\n") {
		if l = CleanLine(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Validate checks the new-board form.
func (in *BoardInput) Validate() error {
	var v Validator
	v.Line("title", in.Title, true, MaxBoardTitle)
	v.Text("columns", in.Columns, true, MaxColumns*(MaxColumnTitle+1))
	if !v.Has("columns") {
		cols := in.ColumnTitles()
		switch {
		case len(cols) == 0:
			v.Add("columns", "form.required")
		case len(cols) > MaxColumns:
			v.Add("columns", "labs.too_many_columns", "Max", MaxColumns)
		}
		for _, c := range cols {
			if len([]rune(c)) > MaxColumnTitle {
				v.Add("columns", "labs.column_too_long", "Max", MaxColumnTitle)
			}
		}
	}
	if in.VotesPerPerson < 1 || in.VotesPerPerson > MaxVotesPerPerson {
		v.Add("votes_per_person", "form.number_range", "Min", 1, "Max", MaxVotesPerPerson)
	}
	return v.Err()
}

// ValidateCardText checks the text of a card.
func ValidateCardText(v *Validator, field, text string) {
	v.Text(field, text, true, MaxCardText)
}

// LabHandover is a card handed over to AG INSEK (channel "futurelab"): it
// links the card to the contribution it became and keeps the dot count and
// who handed it over.
type LabHandover struct {
	ID             int64
	ContributionID *int64
	Channel        string
	LabID          int64
	BoardID        int64
	CardID         *int64
	Body           string
	AuthorID       *int64
	AuthorLabel    string
	Votes          int
	HandedOverBy   *int64
	CreatedAt      time.Time
}

// TableName keeps gorm on the migration's table.
func (LabHandover) TableName() string { return "lab_handovers" }

// ContributionChannelLab is the channel of lab cards in the contribution pipeline.
const ContributionChannelLab = ChannelFutureLab
