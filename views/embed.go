// Package views holds the server-rendered HTML templates, the mail templates
// and the translation catalogs, embedded into the binary.
//
//	layouts/   the page skeleton (base.html)
//	partials/  form fields, error summary, pagination and other shared pieces
//	pages/     one template per page, grouped by feature (pages/account/login.html)
//	mail/      KIND.txt + KIND.html per mail, wrapped in layout.*
//	locales/   go-i18n catalogs, FEATURE.de.toml and FEATURE.en.toml
package views

import "embed"

// FS holds all views.
//
//go:embed layouts partials pages mail locales
var FS embed.FS
