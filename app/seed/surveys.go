package seed

import (
	"context"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// DemoSurveyTitle names the open demo survey.
const DemoSurveyTitle = "Wie lebt es sich in Ihrem Viertel?"

// demoSurveys adds one open, anonymous survey with a few kinds of
// question, once.
func demoSurveys(ctx context.Context, s *store.Store) error {
	list, err := s.Surveys(ctx)
	if err != nil {
		return err
	}
	for _, sv := range list {
		if sv.Title == DemoSurveyTitle {
			return nil
		}
	}
	return s.Tx(ctx, func(tx *store.Store) error {
		opens := tx.Now().AddDate(0, 0, -1)
		closes := tx.Now().AddDate(0, 2, 0)
		sv := &app.Survey{Title: DemoSurveyTitle, Anonymous: true, OpensAt: &opens, ClosesAt: &closes,
			Intro:    "Die Stadt möchte wissen, was Ihr Viertel lebenswert macht und was fehlt. Die Umfrage dauert etwa drei Minuten.",
			ThankYou: "Vielen Dank! Die Ergebnisse fließen in das INSEK ein und werden im Beteiligungsbericht veröffentlicht."}
		if err := tx.CreateSurvey(ctx, sv); err != nil {
			return err
		}
		low, high := int64(0), int64(120)
		questions := []app.SurveyQuestion{
			{Kind: app.QOrtsteil, Text: "In welchem Ortsteil wohnen Sie?"},
			{Kind: app.QScale, Text: "Wie zufrieden sind Sie mit Ihrem Viertel?", ScaleLow: "gar nicht zufrieden", ScaleHigh: "sehr zufrieden", Required: true},
			{Kind: app.QMulti, Text: "Was sollte in Ihrem Viertel zuerst besser werden?", Options: []string{"Grünflächen", "Radwege", "Bus und Bahn", "Einkaufen", "Treffpunkte"}, MaxChoices: 2, Other: true},
			{Kind: app.QRanking, Text: "Ordnen Sie diese Ziele nach ihrer Wichtigkeit", Options: []string{"Klimaschutz", "bezahlbares Wohnen", "gute Schulen"}},
			{Kind: app.QTextLong, Text: "Was möchten Sie der Stadt noch mitgeben?", MaxLength: app.MaxLongAnswer},
			{Kind: app.QNumber, Text: "Wie alt sind Sie?", NumMin: &low, NumMax: &high, Help: "Freiwillig; nur für die Auswertung nach Altersgruppen."},
		}
		for i := range questions {
			questions[i].SurveyID, questions[i].SinceVersion = sv.ID, 1
			if err := tx.CreateSurveyQuestion(ctx, &questions[i]); err != nil {
				return err
			}
		}
		return nil
	})
}
