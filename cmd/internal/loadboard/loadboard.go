// Package loadboard creates the live board that the load tools (wsload,
// soak) drive: an open lab with one board of three columns.
package loadboard

import (
	"context"
	"fmt"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// Create makes a lab and its board titled title, hosted by host, and
// returns the board's websocket path and its column ids.
func Create(ctx context.Context, st *store.Store, title string, host int64) (path string, columns []int64, err error) {
	lab := &app.Lab{Title: title, Theme: "Energie", Description: "Pinnwand: " + title, Status: app.LabActive, Open: true}
	if err := st.CreateLab(ctx, lab, host); err != nil {
		return "", nil, err
	}
	b := &app.Board{LabID: lab.ID, Title: title, VotesPerPerson: 5, VotesRevealed: true, CreatedBy: &host}
	if err := st.CreateBoard(ctx, b, []string{"Ideen", "Fragen", "Nächste Schritte"}); err != nil {
		return "", nil, err
	}
	cols, err := st.BoardColumns(ctx, b.ID)
	if err != nil {
		return "", nil, err
	}
	for _, c := range cols {
		columns = append(columns, c.ID)
	}
	return fmt.Sprintf("/labs/%d/boards/%d/ws", lab.ID, b.ID), columns, nil
}
