// Package docs embeds the parts of the documentation the server serves: the
// OpenAPI description of the JSON API, split into one file per feature under
// openapi/ and merged at start-up.
package docs

import "embed"

// OpenAPI holds openapi/*.json.
//
//go:embed openapi/*.json
var OpenAPI embed.FS
