package store

import (
	"context"
	"strings"

	"github.com/mitwirken/mitwirken/app"
)

// SelectionCategories returns an event's quota categories with their values,
// in order.
func (s *Store) SelectionCategories(ctx context.Context, eventID int64) ([]*app.SelectionCategory, error) {
	var cats []*app.SelectionCategory
	if err := s.q(ctx).Where("event_id = ?", eventID).Order("position, id").Find(&cats).Error; err != nil {
		return nil, s.err(err)
	}
	if len(cats) == 0 {
		return cats, nil
	}
	ids := make([]int64, len(cats))
	byID := map[int64]*app.SelectionCategory{}
	for i, c := range cats {
		ids[i] = c.ID
		byID[c.ID] = c
	}
	var vals []*app.SelectionValue
	if err := s.q(ctx).Where("category_id IN ?", ids).Order("position, id").Find(&vals).Error; err != nil {
		return nil, s.err(err)
	}
	for _, v := range vals {
		byID[v.CategoryID].Values = append(byID[v.CategoryID].Values, v)
	}
	return cats, nil
}

// quotasEditable locks the event and checks that its quotas may change: a
// selection event whose draw is neither requested nor announced.
func (s *Store) quotasEditable(ctx context.Context, eventID int64) (*app.Event, error) {
	if err := s.LockEvent(ctx, eventID); err != nil {
		return nil, err
	}
	ev, err := s.EventByID(ctx, eventID)
	if err != nil {
		return nil, err
	}
	if ev.Allocation != app.AllocSelection {
		return nil, app.NotFound()
	}
	if ev.DrawStatus != "" {
		return nil, app.Errorf(app.CodeConflict, "selection.quotas_frozen")
	}
	var jobs int64
	if err := s.q(ctx).Model(&app.SelectionJob{}).Where("event_id = ? AND status IN ?", eventID, []string{app.JobPending, app.JobRunning}).Count(&jobs).Error; err != nil {
		return nil, s.err(err)
	}
	if jobs > 0 {
		return nil, app.Errorf(app.CodeConflict, "selection.quotas_frozen")
	}
	return ev, nil
}

// AddSelectionCategory stores a new category with its values.
func (s *Store) AddSelectionCategory(ctx context.Context, actor *app.User, c *app.SelectionCategory) error {
	return s.Tx(ctx, func(tx *Store) error {
		if _, err := tx.quotasEditable(ctx, c.EventID); err != nil {
			return err
		}
		existing, err := tx.SelectionCategories(ctx, c.EventID)
		if err != nil {
			return err
		}
		if len(existing) >= app.MaxSelectionCategories {
			return app.FieldInvalid("source", "selection.categories_too_many", "Max", app.MaxSelectionCategories)
		}
		for _, e := range existing {
			if strings.EqualFold(e.Name, c.Name) {
				return app.FieldInvalid("name", "selection.category_exists")
			}
			if c.Source != app.SourceFree && e.Source == c.Source {
				return app.FieldInvalid("source", "selection.preset_exists")
			}
		}
		c.Position = len(existing) + 1
		c.CreatedAt = tx.Now()
		if err := tx.err(tx.q(ctx).Omit("Values").Create(c).Error); err != nil {
			return err
		}
		for i, v := range c.Values {
			v.CategoryID, v.Position = c.ID, i+1
			if err := tx.err(tx.q(ctx).Create(v).Error); err != nil {
				return err
			}
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditSelectionQuotas, ObjectType: "event", ObjectID: itoa(c.EventID),
			Details: map[string]any{"change": "add_category", "category": c.Name, "values": len(c.Values)}})
	})
}

// DeleteSelectionCategory removes a category, its values and the answers to it.
func (s *Store) DeleteSelectionCategory(ctx context.Context, actor *app.User, eventID, categoryID int64) error {
	return s.Tx(ctx, func(tx *Store) error {
		if _, err := tx.quotasEditable(ctx, eventID); err != nil {
			return err
		}
		var c app.SelectionCategory
		if err := tx.q(ctx).Where("id = ? AND event_id = ?", categoryID, eventID).First(&c).Error; err != nil {
			return tx.err(err)
		}
		for _, model := range []any{&app.SelectionAnswer{}, &app.SelectionValue{}} {
			if err := tx.q(ctx).Where("category_id = ?", c.ID).Delete(model).Error; err != nil {
				return tx.err(err)
			}
		}
		if err := tx.q(ctx).Delete(&c).Error; err != nil {
			return tx.err(err)
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditSelectionQuotas, ObjectType: "event", ObjectID: itoa(eventID),
			Details: map[string]any{"change": "delete_category", "category": c.Name}})
	})
}

// SaveQuotas stores the bounds of the categories' values (read and checked
// by the caller with app.ParseQuotas).
func (s *Store) SaveQuotas(ctx context.Context, actor *app.User, eventID int64, cats []*app.SelectionCategory) error {
	return s.Tx(ctx, func(tx *Store) error {
		if _, err := tx.quotasEditable(ctx, eventID); err != nil {
			return err
		}
		for _, c := range cats {
			if err := tx.saveBounds(ctx, c); err != nil {
				return err
			}
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditSelectionQuotas, ObjectType: "event", ObjectID: itoa(eventID),
			Details: map[string]any{"change": "quotas", "categories": len(cats)}})
	})
}

func (s *Store) saveBounds(ctx context.Context, c *app.SelectionCategory) error {
	for _, v := range c.Values {
		res := s.q(ctx).Model(&app.SelectionValue{}).Where("id = ? AND category_id = ?", v.ID, c.ID).
			Updates(map[string]any{"min_seats": v.MinSeats, "max_seats": v.MaxSeats})
		if res.Error != nil {
			return s.err(res.Error)
		}
	}
	return nil
}

// SelectionSettingsOf returns an event's draw settings (leximin, no
// household rule unless saved otherwise).
func (s *Store) SelectionSettingsOf(ctx context.Context, eventID int64) (*app.SelectionSettings, error) {
	var st app.SelectionSettings
	err := s.q(ctx).Where("event_id = ?", eventID).First(&st).Error
	if app.ErrorCode(s.err(err)) == app.CodeNotFound {
		return &app.SelectionSettings{EventID: eventID, Algorithm: "leximin"}, nil
	}
	return &st, s.err(err)
}

// SaveSelectionSettings stores the draw settings.
func (s *Store) SaveSelectionSettings(ctx context.Context, actor *app.User, st *app.SelectionSettings) error {
	return s.Tx(ctx, func(tx *Store) error {
		if _, err := tx.quotasEditable(ctx, st.EventID); err != nil {
			return err
		}
		st.UpdatedAt = tx.Now()
		if err := tx.q(ctx).Where("event_id = ?", st.EventID).Delete(&app.SelectionSettings{}).Error; err != nil {
			return tx.err(err)
		}
		if err := tx.err(tx.q(ctx).Create(st).Error); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditSelectionQuotas, ObjectType: "event", ObjectID: itoa(st.EventID),
			Details: map[string]any{"change": "settings", "algorithm": st.Algorithm, "household": st.Household}})
	})
}

// SaveSelectionAnswers stores an applicant's answers to free categories
// (category id → value label); empty answers are not stored.
func (s *Store) SaveSelectionAnswers(ctx context.Context, registrationID int64, answers map[int64]string) error {
	if err := s.q(ctx).Where("registration_id = ?", registrationID).Delete(&app.SelectionAnswer{}).Error; err != nil {
		return s.err(err)
	}
	for cat, v := range answers {
		if v == "" {
			continue
		}
		if err := s.q(ctx).Create(&app.SelectionAnswer{RegistrationID: registrationID, CategoryID: cat, Value: v}).Error; err != nil {
			return s.err(err)
		}
	}
	return nil
}

// SelectionAnswersOf returns the answers of registrations: registration id
// → category id → value.
func (s *Store) SelectionAnswersOf(ctx context.Context, registrationIDs []int64) (map[int64]map[int64]string, error) {
	out := map[int64]map[int64]string{}
	if len(registrationIDs) == 0 {
		return out, nil
	}
	var rows []app.SelectionAnswer
	for start := 0; start < len(registrationIDs); start += 500 {
		end := min(start+500, len(registrationIDs))
		var part []app.SelectionAnswer
		if err := s.q(ctx).Where("registration_id IN ?", registrationIDs[start:end]).Find(&part).Error; err != nil {
			return nil, s.err(err)
		}
		rows = append(rows, part...)
	}
	for _, r := range rows {
		if out[r.RegistrationID] == nil {
			out[r.RegistrationID] = map[int64]string{}
		}
		out[r.RegistrationID][r.CategoryID] = r.Value
	}
	return out, nil
}

// PoolApplicant is an applicant as the draw sees them: the registration, the
// answers to free categories and (for the household rule) the account.
type PoolApplicant struct {
	Registration *app.Registration
	Answers      map[int64]string
	User         *app.User
}

// SelectionApplicants returns an event's current applicants.
func (s *Store) SelectionApplicants(ctx context.Context, eventID int64) ([]PoolApplicant, error) {
	var regs []*app.Registration
	if err := s.q(ctx).Where("event_id = ? AND status = ?", eventID, app.RegApplied).Order("pseudonym").Find(&regs).Error; err != nil {
		return nil, s.err(err)
	}
	ids := make([]int64, 0, len(regs))
	var userIDs []int64
	for _, r := range regs {
		ids = append(ids, r.ID)
		if r.UserID != nil {
			userIDs = append(userIDs, *r.UserID)
		}
	}
	answers, err := s.SelectionAnswersOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	users, err := s.UsersByIDs(ctx, userIDs)
	if err != nil {
		return nil, err
	}
	out := make([]PoolApplicant, len(regs))
	for i, r := range regs {
		out[i] = PoolApplicant{Registration: r, Answers: answers[r.ID]}
		if r.UserID != nil {
			out[i].User = users[*r.UserID]
		}
	}
	return out, nil
}
