package export

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// FilterInput is the filter as typed in the admin form or on the command
// line. Resolve checks it and looks the references up.
type FilterInput struct {
	Kind        string `form:"kind" json:"kind"`
	Format      string `form:"format" json:"format"`
	Chapter     string `form:"chapter" json:"chapter"` // slug
	Channel     string `form:"channel" json:"channel"`
	From        string `form:"from" json:"from"` // YYYY-MM-DD
	To          string `form:"to" json:"to"`     // YYYY-MM-DD, inclusive
	Stadtgebiet string `form:"stadtgebiet" json:"stadtgebiet"`
	Tag         string `form:"tag" json:"tag"`
	Status      string `form:"status" json:"status"`
	Assessment  string `form:"assessment" json:"assessment"`
	// Names adds who drafted and who published each assessment by name
	// (otherwise only their roles); AG INSEK chooses it.
	Names bool `form:"names" json:"names"`
}

// Clean trims every field.
func (in *FilterInput) Clean() {
	for _, p := range []*string{&in.Kind, &in.Format, &in.Chapter, &in.Channel, &in.From, &in.To, &in.Stadtgebiet, &in.Tag, &in.Status, &in.Assessment} {
		*p = strings.TrimSpace(*p)
	}
	in.Tag = strings.ToLower(in.Tag)
}

// Validate checks what needs no database.
func (in *FilterInput) Validate() error {
	var v app.Validator
	if !slices.Contains(Kinds, in.Kind) {
		v.Add("kind", "form.choice_invalid")
	}
	if !slices.Contains(Formats, in.Format) {
		v.Add("format", "form.choice_invalid")
	}
	for field, val := range map[string]string{"chapter": in.Chapter, "stadtgebiet": in.Stadtgebiet, "tag": in.Tag} {
		v.Line(field, val, false, 80)
	}
	if in.Channel != "" && !app.ValidChannel(in.Channel) {
		v.Add("channel", "form.choice_invalid")
	}
	if in.Status != "" && !slices.Contains(app.Statuses, in.Status) {
		v.Add("status", "form.choice_invalid")
	}
	if in.Assessment != "" && in.Assessment != store.ExportUnassessed && !app.ValidAssessmentStatus(in.Assessment) {
		v.Add("assessment", "form.choice_invalid")
	}
	v.DateRange("from", in.From, "to", in.To)
	return v.Err()
}

// Resolve validates the input and turns it into a request.
func (in *FilterInput) Resolve(ctx context.Context, st *store.Store) (Request, error) {
	in.Clean()
	if err := in.Validate(); err != nil {
		return Request{}, err
	}
	req := Request{Kind: in.Kind, Format: in.Format}
	f := &req.Filter
	f.Channel, f.Status, f.Assessment, f.StaffNames = in.Channel, in.Status, in.Assessment, in.Names
	var dates app.Validator // checked in Validate
	f.From, f.To = dates.DateRange("from", in.From, "to", in.To)
	var v app.Validator
	if in.Chapter != "" {
		ch, err := st.ChapterBySlug(ctx, in.Chapter)
		switch {
		case app.ErrorCode(err) == app.CodeNotFound:
			v.Add("chapter", "results.chapter_unknown")
		case err != nil:
			return req, err
		default:
			f.ChapterID = ch.ID
		}
	}
	if in.Stadtgebiet != "" {
		all, err := st.Stadtgebiete(ctx)
		if err != nil {
			return req, err
		}
		var found *app.Stadtgebiet
		for _, g := range all {
			if strconv.FormatInt(g.ID, 10) == in.Stadtgebiet || strings.EqualFold(g.Name, in.Stadtgebiet) {
				found = g
			}
		}
		if found == nil {
			v.Add("stadtgebiet", "results.stadtgebiet_unknown")
		} else {
			f.Bezirke = append([]string{}, found.Bezirke...)
			if len(f.Bezirke) == 0 {
				f.Bezirke = []string{"-"}
			}
		}
	}
	if in.Tag != "" {
		ref, err := st.LoadRefData(ctx)
		if err != nil {
			return req, err
		}
		ok := false
		for _, h := range ref.Handlungsschwerpunkte {
			ok = ok || h.Code == in.Tag
		}
		for _, t := range ref.Themes {
			ok = ok || t.Code == in.Tag
		}
		if !ok {
			v.Add("tag", "results.tag_unknown")
		}
		f.Tag = in.Tag
	}
	return req, v.Err()
}
