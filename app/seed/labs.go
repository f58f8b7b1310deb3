package seed

import (
	"context"
	"fmt"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/labs"
	"github.com/mitwirken/mitwirken/app/store"
)

type demoLab struct {
	title, theme, text string
	host               string
	open               bool
}

var demoLabList = []demoLab{
	{"Post-fossile Energiestrategie für Leipzig", "Energie und Klima",
		"Wie versorgt sich Leipzig nach Kohle, Öl und Gas mit Wärme, Strom und Mobilität? Das Lab sammelt Ideen über den Zeithorizont des INSEK hinaus: Quartierswärme, Solardächer, Speicher, Energiegenossenschaften.",
		DemoCitizenEmail, true},
	{"Leipzig als Bürgerstadt", "Bürgerstadt und Teilhabe",
		"Welche Potenziale hat Leipzig als Bürgerstadt? Wie können Initiativen, Vereine und Nachbarschaften die Stadtentwicklung selbst mitgestalten – von Gemeinschaftsgärten bis zu Bürgerhaushalten?",
		"connewitz@mitwirken.example", true},
	{"Stadtnatur am Karl-Heine-Kanal", "Freiraum und Umwelt",
		"Ein kleines Lab von Anwohnerinnen und Anwohnern aus Plagwitz und Lindenau, nur für Mitglieder.",
		"plagwitz@mitwirken.example", false},
}

// demoLabs adds three labs and, in the first, a board with cards.
func demoLabs(ctx context.Context, s *store.Store) error {
	existing, err := s.LabsByStatus(ctx, app.LabActive)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, l := range existing {
		have[l.Title] = true
	}
	for i, d := range demoLabList {
		if have[d.title] {
			continue
		}
		host, err := s.UserByEmail(ctx, d.host)
		if err != nil {
			return fmt.Errorf("host %s: %w", d.host, err)
		}
		l := &app.Lab{Title: d.title, Theme: d.theme, Description: d.text, Status: app.LabActive, Open: d.open, ProposedBy: &host.ID}
		if err := s.CreateLab(ctx, l, host.ID); err != nil {
			return err
		}
		if i == 0 {
			if err := demoBoard(ctx, s, l, host); err != nil {
				return err
			}
		}
	}
	return nil
}

func demoBoard(ctx context.Context, s *store.Store, l *app.Lab, host *app.User) error {
	b := &app.Board{LabID: l.ID, Title: "Ideen für die Wärmewende", VotesPerPerson: 5, VotesRevealed: true, CreatedBy: &host.ID}
	if err := s.CreateBoard(ctx, b, []string{"Ideen", "Fragen", "Nächste Schritte"}); err != nil {
		return err
	}
	cols, err := s.BoardColumns(ctx, b.ID)
	if err != nil {
		return err
	}
	svc := &labs.Service{Store: s}
	cards := []struct {
		col         int
		text, color string
		author      string
	}{
		{0, "Fernwärme aus Abwärme der Rechenzentren im Leipziger Norden nutzen", "yellow", DemoCitizenEmail},
		{0, "Solarpflicht für alle städtischen Dächer bis 2030", "green", "gruenau@mitwirken.example"},
		{0, "Energiegenossenschaften in jedem Stadtbezirk gründen", "blue", "connewitz@mitwirken.example"},
		{1, "Wie bleibt die Wärmewende für Mieterinnen und Mieter bezahlbar?", "pink", "plagwitz@mitwirken.example"},
		{2, "Workshop mit den Stadtwerken im Stadtbüro vorbereiten", "orange", DemoCitizenEmail},
	}
	for i, c := range cards {
		u, err := s.UserByEmail(ctx, c.author)
		if err != nil {
			return err
		}
		if err := s.AddLabMember(ctx, l.ID, u.ID, app.LabRoleMember); err != nil {
			return err
		}
		text := c.text
		_, err = svc.Apply(ctx, b.ID, labs.Viewer{UserID: u.ID, Write: true}, labs.Op{
			Type: labs.OpCardCreate, OpID: fmt.Sprintf("seed-%d", i), ColumnID: cols[c.col].ID, Text: &text, Color: c.color})
		if err != nil {
			return err
		}
	}
	return nil
}
