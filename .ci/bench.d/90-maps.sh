#!/usr/bin/env bash
# Issue 14: the whole city map (63 linked Ortsteile with patterns) drawn as
# SVG. Prints ns/op and bytes/map. Targets: < 20 ms and < 60 KB.
# Alone: .ci/bench maps
set -euo pipefail
go test -run '^$' -bench 'CitySVG' -benchtime 500x ./app/geo/
