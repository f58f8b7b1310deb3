// Package migrations holds the versioned schema changes of mitwirken.
//
// Each file is named NNNN_description.sql and applied once, in order of NNNN,
// inside its own transaction. The files are Go text/templates so that one file
// serves both databases; see app/store/migrate.go for the few macros
// ({{pk}}, {{timestamp}}, {{bytes}}) and the .Postgres / .SQLite switches.
package migrations

import "embed"

// FS holds every migration file.
//
//go:embed *.sql
var FS embed.FS
