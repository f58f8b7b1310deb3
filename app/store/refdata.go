package store

import (
	"context"

	"github.com/mitwirken/mitwirken/app"
)

// RefData is the reference data loaded by migration: it never changes while
// the application runs, so it is read once per call site and passed around.
type RefData struct {
	Stadtbezirke          []app.Stadtbezirk
	Ortsteile             []app.Ortsteil
	Zielfelder            []app.Zielfeld
	Handlungsschwerpunkte []app.Handlungsschwerpunkt
	Themes                []app.Theme
}

// LoadRefData reads all reference data.
func (s *Store) LoadRefData(ctx context.Context) (*RefData, error) {
	var r RefData
	q := s.q(ctx)
	for _, step := range []func() error{
		func() error { return q.Order("code").Find(&r.Stadtbezirke).Error },
		func() error { return q.Order("code").Find(&r.Ortsteile).Error },
		func() error { return q.Order("position").Find(&r.Zielfelder).Error },
		func() error { return q.Order("zielfeld_code, position").Find(&r.Handlungsschwerpunkte).Error },
		func() error { return q.Order("position").Find(&r.Themes).Error },
	} {
		if err := step(); err != nil {
			return nil, s.err(err)
		}
	}
	return &r, nil
}

// Ortsteil finds a locality by official number.
func (r *RefData) Ortsteil(code string) (app.Ortsteil, bool) {
	for _, o := range r.Ortsteile {
		if o.Code == code {
			return o, true
		}
	}
	return app.Ortsteil{}, false
}

// Stadtbezirk finds a borough by official number.
func (r *RefData) Stadtbezirk(code string) (app.Stadtbezirk, bool) {
	for _, b := range r.Stadtbezirke {
		if b.Code == code {
			return b, true
		}
	}
	return app.Stadtbezirk{}, false
}

// OrtsteileOf lists the localities of a borough.
func (r *RefData) OrtsteileOf(stadtbezirk string) []app.Ortsteil {
	var out []app.Ortsteil
	for _, o := range r.Ortsteile {
		if o.StadtbezirkCode == stadtbezirk {
			out = append(out, o)
		}
	}
	return out
}

// OrtsteilExists reports whether code is one of the 63 official numbers.
func (s *Store) OrtsteilExists(ctx context.Context, code string) (bool, error) {
	var n int64
	err := s.q(ctx).Model(&app.Ortsteil{}).Where("code = ?", code).Count(&n).Error
	return n == 1, s.err(err)
}
