package app

import (
	"strconv"
	"strings"
	"time"
)

// Sources of a selection category: answers the registration form of a
// selection event asks anyway, or a free category the organisers define.
const (
	SourceStadtgebiet = "stadtgebiet"
	SourceAge         = "age"
	SourceGender      = "gender"
	SourceFirstTime   = "first_time"
	SourceFree        = "free"
)

// SelectionSources lists the sources in the order the form offers them.
var SelectionSources = []string{SourceStadtgebiet, SourceAge, SourceGender, SourceFirstTime, SourceFree}

// Limits of the quota configuration.
const (
	MaxSelectionCategories = 8
	MaxSelectionValues     = 20
	MaxSelectionName       = 60
)

// Household rules of a selection event.
const (
	HouseholdNone = ""
	// HouseholdEmailSurname: same e-mail domain and same last word of the
	// display name count as one household.
	HouseholdEmailSurname = "email_surname"
)

// SelectionCategory is a category of an event's quotas (e.g. Stadtgebiet).
type SelectionCategory struct {
	ID        int64
	EventID   int64
	Position  int
	Name      string
	Source    string
	CreatedAt time.Time
	Values    []*SelectionValue `gorm:"-"`
}

// TableName keeps gorm on the table created by the migration.
func (SelectionCategory) TableName() string { return "selection_categories" }

// SelectionValue is one value of a category with its seats: at least Min,
// at most Max. Code is the answer that maps to it ("" = no answer).
type SelectionValue struct {
	ID         int64
	CategoryID int64
	Position   int
	Code       string
	Label      string
	MinSeats   int
	MaxSeats   int
}

// TableName keeps gorm on the table created by the migration.
func (SelectionValue) TableName() string { return "selection_values" }

// SelectionAnswer is an applicant's answer to a free category.
type SelectionAnswer struct {
	RegistrationID int64 `gorm:"primaryKey;autoIncrement:false"`
	CategoryID     int64 `gorm:"primaryKey;autoIncrement:false"`
	Value          string
}

// TableName keeps gorm on the table created by the migration.
func (SelectionAnswer) TableName() string { return "selection_answers" }

// SelectionSettings are the draw settings of an event.
type SelectionSettings struct {
	EventID   int64 `gorm:"primaryKey;autoIncrement:false"`
	Algorithm string
	Household string
	UpdatedAt time.Time
}

// TableName keeps gorm on the table created by the migration.
func (SelectionSettings) TableName() string { return "selection_settings" }

// SelectionJob is the background computation of an event's draw.
type SelectionJob struct {
	EventID     int64 `gorm:"primaryKey;autoIncrement:false"`
	Status      string
	SeedSource  string
	RequestedBy *int64
	RequestedAt time.Time
	ClaimedAt   *time.Time
	ClaimedBy   string
	Attempts    int
	FinishedAt  *time.Time
	Error       string
}

// TableName keeps gorm on the table created by the migration.
func (SelectionJob) TableName() string { return "selection_jobs" }

// Statuses of a selection job.
const (
	JobPending = "pending"
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// Audit actions of the selection.
const (
	AuditSelectionQuotas      = "selection.quotas"
	AuditSelectionRequest     = "selection.draw_request"
	AuditSelectionReplacement = "selection.replacement"
)

// SelectionCategoryInput adds a category: a preset (source) or a free one
// with its values, one per line.
type SelectionCategoryInput struct {
	Source string `form:"source"`
	Name   string `form:"name"`
	Values string `form:"values"`
}

// Validate checks the input and returns the free values.
func (in *SelectionCategoryInput) Validate() ([]string, error) {
	in.Source = strings.TrimSpace(in.Source)
	in.Name = CleanLine(in.Name)
	in.Values = CleanText(in.Values)
	var v Validator
	if in.Source == "" {
		v.Add("source", "form.required")
	} else if !oneOf(in.Source, SelectionSources) {
		v.Add("source", "form.choice_invalid")
	}
	v.Line("name", in.Name, in.Source == SourceFree, MaxSelectionName)
	v.Text("values", in.Values, in.Source == SourceFree, 2000)
	var values []string
	if in.Source == SourceFree && !v.Has("values") {
		seen := map[string]bool{}
		for _, line := range strings.Split(in.Values, "\n") {
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			key := strings.ToLower(line)
			switch {
			case len([]rune(line)) > MaxSelectionName:
				v.Add("values", "selection.value_too_long", "Max", MaxSelectionName)
			case seen[key]:
				v.Add("values", "selection.value_duplicate", "Value", line)
			}
			seen[key] = true
			values = append(values, line)
		}
		switch {
		case len(values) < 2:
			v.Add("values", "selection.values_too_few")
		case len(values) > MaxSelectionValues:
			v.Add("values", "selection.values_too_many", "Max", MaxSelectionValues)
		}
	}
	return values, v.Err()
}

// QuotaField is the form field of a value's bound ("min_12", "max_12").
func QuotaField(kind string, valueID int64) string {
	return kind + "_" + strconv.FormatInt(valueID, 10)
}

// ParseQuotas reads the minimum and maximum of every value from the form
// (get returns a submitted field) and checks 0 ≤ min ≤ max ≤ seats. On
// success the values carry the new bounds.
func ParseQuotas(values []*SelectionValue, seats int, get func(string) string) error {
	var v Validator
	type bounds struct{ min, max int }
	parsed := map[int64]bounds{}
	for _, val := range values {
		var b bounds
		for _, kind := range []string{"min", "max"} {
			f := QuotaField(kind, val.ID)
			raw := strings.TrimSpace(get(f))
			n, err := strconv.Atoi(raw)
			switch {
			case raw == "":
				v.Add(f, "form.required")
			case len(raw) > 6 || err != nil:
				v.Add(f, "selection.quota_number")
			case n < 0 || n > seats:
				v.Add(f, "selection.quota_range", "Max", seats)
			}
			if kind == "min" {
				b.min = n
			} else {
				b.max = n
			}
		}
		if !v.Has(QuotaField("min", val.ID)) && !v.Has(QuotaField("max", val.ID)) && b.min > b.max {
			v.Add(QuotaField("min", val.ID), "selection.quota_min_above_max")
		}
		parsed[val.ID] = b
	}
	if err := v.Err(); err != nil {
		return err
	}
	for _, val := range values {
		val.MinSeats, val.MaxSeats = parsed[val.ID].min, parsed[val.ID].max
	}
	return nil
}

// SelectionSettingsInput is the settings form.
type SelectionSettingsInput struct {
	Algorithm string `form:"algorithm"`
	Household bool   `form:"household"`
}

// Validate checks the settings.
func (in *SelectionSettingsInput) Validate() error {
	in.Algorithm = strings.TrimSpace(in.Algorithm)
	if in.Algorithm != "leximin" && in.Algorithm != "legacy" {
		return FieldInvalid("algorithm", "form.choice_invalid")
	}
	return nil
}

// HouseholdKey is the household of an applicant under the e-mail rule: the
// domain of the address and the last word of the name, lower-cased ("" when
// either is missing, so the person is in no household).
func HouseholdKey(email, name string) string {
	at := strings.LastIndex(email, "@")
	words := strings.Fields(strings.ToLower(name))
	if at < 0 || len(words) == 0 {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(email[at+1:])) + "|" + words[len(words)-1]
}
