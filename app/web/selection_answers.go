package web

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
)

// selectionAnswers reads the answers to free quota categories
// (answer_cat_<id>) from the application form; fields beyond the most
// categories an event can have are ignored, the service refuses unknown ones.
func selectionAnswers(c echo.Context) map[int64]string {
	params, err := c.FormParams()
	if err != nil {
		return nil
	}
	out := map[int64]string{}
	for k, vals := range params {
		rest, ok := strings.CutPrefix(k, "answer_cat_")
		if !ok || len(vals) == 0 || len(out) >= app.MaxSelectionCategories {
			continue
		}
		id, err := strconv.ParseInt(rest, 10, 64)
		if err != nil {
			continue
		}
		out[id] = strings.TrimSpace(vals[0])
	}
	return out
}

// selectionFieldData is what the selection_free_field partial renders.
type selectionFieldData struct {
	V        *View
	Name     string
	Category *app.SelectionCategory
}

func selectionField(v *View, c *app.SelectionCategory) selectionFieldData {
	return selectionFieldData{V: v, Name: "answer_cat_" + strconv.FormatInt(c.ID, 10), Category: c}
}

// SelectionOptions builds select options whose labels are message ids made
// from pattern and the code.
func (v *View) SelectionOptions(pattern string, codes []string) []Option {
	out := make([]Option, 0, len(codes))
	for _, c := range codes {
		out = append(out, Option{Value: c, Label: v.T(fmt.Sprintf(pattern, c))})
	}
	return out
}

// Percent writes a probability as a percentage with two decimals, with a
// decimal comma in German ("12,34 %").
func (v *View) Percent(p float64) string {
	s := strconv.FormatFloat(100*p, 'f', 2, 64) + " %"
	if v.Lang == "de" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// Decimal writes a number with four decimals in the page's language.
func (v *View) Decimal(p float64) string {
	s := strconv.FormatFloat(p, 'f', 4, 64)
	if v.Lang == "de" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
