package store

import (
	"context"
	"sort"

	"github.com/mitwirken/mitwirken/app"
)

type stadtgebietBezirk struct {
	StadtbezirkCode string
	StadtgebietID   int64
}

func (stadtgebietBezirk) TableName() string { return "stadtgebiet_bezirke" }

// Stadtgebiete lists the Stadtgebiete with their Stadtbezirke, in order.
func (s *Store) Stadtgebiete(ctx context.Context) ([]*app.Stadtgebiet, error) {
	var out []*app.Stadtgebiet
	if err := s.q(ctx).Order("position, name").Find(&out).Error; err != nil {
		return nil, s.err(err)
	}
	var links []stadtgebietBezirk
	if err := s.q(ctx).Order("stadtbezirk_code").Find(&links).Error; err != nil {
		return nil, s.err(err)
	}
	byID := map[int64]*app.Stadtgebiet{}
	for _, g := range out {
		byID[g.ID] = g
	}
	for _, l := range links {
		if g := byID[l.StadtgebietID]; g != nil {
			g.Bezirke = append(g.Bezirke, l.StadtbezirkCode)
		}
	}
	return out, nil
}

// StadtgebietByID loads one Stadtgebiet with its Stadtbezirke.
func (s *Store) StadtgebietByID(ctx context.Context, id int64) (*app.Stadtgebiet, error) {
	all, err := s.Stadtgebiete(ctx)
	if err != nil {
		return nil, err
	}
	for _, g := range all {
		if g.ID == id {
			return g, nil
		}
	}
	return nil, app.NotFound()
}

// SaveStadtgebiet creates (id 0) or changes a Stadtgebiet. A Stadtbezirk can
// belong to one Stadtgebiet only.
func (s *Store) SaveStadtgebiet(ctx context.Context, id int64, in app.StadtgebietInput) (*app.Stadtgebiet, error) {
	var g app.Stadtgebiet
	err := s.Tx(ctx, func(tx *Store) error {
		var v app.Validator
		var n int64
		if err := tx.q(ctx).Model(&app.Stadtbezirk{}).Where("code IN ?", in.Bezirke).Count(&n).Error; err != nil {
			return tx.err(err)
		}
		if int(n) != len(in.Bezirke) {
			v.Add("bezirke", "form.choice_invalid")
		}
		var taken []stadtgebietBezirk
		if err := tx.q(ctx).Where("stadtbezirk_code IN ? AND stadtgebiet_id <> ?", in.Bezirke, id).Find(&taken).Error; err != nil {
			return tx.err(err)
		}
		if len(taken) > 0 {
			v.Add("bezirke", "events.bezirk_taken")
		}
		var dup int64
		if err := tx.q(ctx).Model(&app.Stadtgebiet{}).Where("lower(name) = lower(?) AND id <> ?", in.Name, id).Count(&dup).Error; err != nil {
			return tx.err(err)
		}
		if dup > 0 {
			v.Add("name", "events.stadtgebiet_name_taken")
		}
		if err := v.Err(); err != nil {
			return err
		}
		now := tx.Now()
		if id == 0 {
			g = app.Stadtgebiet{Name: in.Name, Position: in.Position.Value, Example: in.Example, CreatedAt: now, UpdatedAt: now}
			if err := tx.q(ctx).Create(&g).Error; err != nil {
				return tx.err(err)
			}
		} else {
			res := tx.q(ctx).Model(&app.Stadtgebiet{}).Where("id = ?", id).
				Updates(map[string]any{"name": in.Name, "position": in.Position.Value, "example": in.Example, "updated_at": now})
			if res.Error != nil {
				return tx.err(res.Error)
			}
			if res.RowsAffected == 0 {
				return app.NotFound()
			}
			g = app.Stadtgebiet{ID: id, Name: in.Name, Position: in.Position.Value, Example: in.Example}
			if err := tx.q(ctx).Where("stadtgebiet_id = ?", id).Delete(&stadtgebietBezirk{}).Error; err != nil {
				return tx.err(err)
			}
		}
		codes := append([]string(nil), in.Bezirke...)
		sort.Strings(codes)
		for _, c := range codes {
			if err := tx.q(ctx).Create(&stadtgebietBezirk{StadtbezirkCode: c, StadtgebietID: g.ID}).Error; err != nil {
				return tx.err(err)
			}
		}
		g.Bezirke = codes
		return nil
	})
	return &g, err
}

// DeleteStadtgebiet removes a Stadtgebiet; events keep their data without it.
func (s *Store) DeleteStadtgebiet(ctx context.Context, id int64) error {
	res := s.q(ctx).Delete(&app.Stadtgebiet{}, id)
	if res.Error != nil {
		return s.err(res.Error)
	}
	if res.RowsAffected == 0 {
		return app.NotFound()
	}
	return nil
}

// StadtgebietOf finds the Stadtgebiet of an Ortsteil (by its Stadtbezirk, the
// first digit of its number); nil when none is configured.
func StadtgebietOf(all []*app.Stadtgebiet, ortsteil string) *app.Stadtgebiet {
	if ortsteil == "" {
		return nil
	}
	return StadtgebietOfBezirk(all, ortsteil[:1])
}

// StadtgebietOfBezirk finds the Stadtgebiet a Stadtbezirk belongs to.
func StadtgebietOfBezirk(all []*app.Stadtgebiet, bezirk string) *app.Stadtgebiet {
	for _, g := range all {
		for _, b := range g.Bezirke {
			if b == bezirk {
				return g
			}
		}
	}
	return nil
}
