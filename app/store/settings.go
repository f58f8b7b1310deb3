package store

import (
	"context"

	"gorm.io/gorm/clause"
)

type setting struct {
	Key   string `gorm:"primaryKey"`
	Value string
}

func (setting) TableName() string { return "settings" }

// EnsureSetting stores value under key unless a value is there already, and
// returns the stored value. Every instance calling it at start-up ends up with
// the same value.
func (s *Store) EnsureSetting(ctx context.Context, key, value string) (string, error) {
	err := s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&setting{Key: key, Value: value}).Error
	if err != nil {
		return "", s.err(err)
	}
	var out setting
	if err := s.q(ctx).Where("key = ?", key).First(&out).Error; err != nil {
		return "", s.err(err)
	}
	return out.Value, nil
}
