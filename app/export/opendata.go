package export

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"time"

	"github.com/mitwirken/mitwirken/app/store"
)

// Licence of the open data.
const (
	LicenceName = "Datenlizenz Deutschland – Namensnennung – Version 2.0"
	LicenceID   = "dl-de/by-2-0"
	LicenceURL  = "https://www.govdata.de/dl-de/by-2-0"
)

// openDataColumns are the CSV columns of the open data: the JSON keys.
var openDataColumns = []string{"number", "chapter", "paragraph", "paragraph_text", "text", "author", "created_at", "channel",
	"event", "ortsteil_code", "ortsteil", "stadtbezirk", "tags", "answer", "assessment_status", "assessment_reasoning",
	"fachamt", "reflected_in", "reflected_text", "licence"}

// OpenData writes the published, moderated contributions with their
// published assessments (JSON: an object with the licence and the array
// "contributions"; CSV: one row per contribution with the licence in the
// last column). Authors appear by pseudonym; unpublished assessments are
// left out.
func OpenData(ctx context.Context, st *store.Store, t Translate, format string, w io.Writer, now time.Time) error {
	ref, err := st.LoadRefData(ctx)
	if err != nil {
		return err
	}
	l := newLabels(t, ref)
	f := store.ExportFilter{PublicOnly: true}
	if format == FormatCSV {
		c, err := newCSVWriter(w, append([]string{}, openDataColumns...))
		if err != nil {
			return err
		}
		err = st.EachExportRow(ctx, f, func(r *store.ExportRow) error {
			rec := l.record(r)
			return c.write([]string{rec.Number, rec.Chapter, rec.Paragraph, rec.ParagraphText, rec.Text, rec.Author,
				rec.CreatedAt.Format(time.RFC3339), rec.Channel, rec.Event, rec.OrtsteilCode, rec.Ortsteil, rec.Stadtbezirk,
				strings.Join(rec.Tags, ","), rec.Answer, rec.AssessmentStatus, rec.Reasoning, rec.Fachamt, rec.ReflectedIn,
				rec.ReflectedText, LicenceID})
		})
		if err != nil {
			return err
		}
		return c.Close(nil)
	}
	head, err := json.Marshal(map[string]any{
		"licence":      map[string]string{"name": LicenceName, "id": LicenceID, "url": LicenceURL},
		"generated_at": now.UTC().Format(time.RFC3339),
	})
	if err != nil {
		return err
	}
	// {"generated_at":…,"licence":{…},"contributions":[ … ]}
	prefix := string(head[:len(head)-1]) + `,"contributions":`
	j, err := newJSONWriter(w, prefix)
	if err != nil {
		return err
	}
	err = st.EachExportRow(ctx, f, func(r *store.ExportRow) error { return j.Row(l.record(r), nil) })
	if err != nil {
		return err
	}
	return j.close("}")
}
