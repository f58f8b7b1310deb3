package web

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
)

// mergeOpenAPI joins the per-feature OpenAPI fragments (docs/openapi/*.json)
// into one document: base.json gives info, servers and security; every file
// adds paths, tags and components.
func mergeOpenAPI(fsys fs.FS) ([]byte, error) {
	files, err := fs.Glob(fsys, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	doc := map[string]any{}
	paths := map[string]any{}
	components := map[string]map[string]any{}
	var tags []any
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		var part map[string]any
		if err := json.Unmarshal(b, &part); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for k, v := range part {
			switch k {
			case "paths":
				for p, item := range v.(map[string]any) {
					if _, dup := paths[p]; dup {
						return nil, fmt.Errorf("%s: path %s is defined twice", f, p)
					}
					paths[p] = item
				}
			case "components":
				for kind, entries := range v.(map[string]any) {
					if components[kind] == nil {
						components[kind] = map[string]any{}
					}
					for name, def := range entries.(map[string]any) {
						components[kind][name] = def
					}
				}
			case "tags":
				tags = append(tags, v.([]any)...)
			default:
				doc[k] = v
			}
		}
	}
	doc["paths"] = paths
	doc["components"] = components
	doc["tags"] = tags
	return json.MarshalIndent(doc, "", "  ")
}
