#!/usr/bin/env bash
# Issue 16: the mixed-load soak (cmd/soak, the same as `make soak`): three
# instances on one PostgreSQL database, anonymous readers, citizens who log
# in, comment, support, register and cancel and edit a board over
# websockets, an admin exporting now and then. Prints requests/s and
# p50/p99 by kind, errors (must be 0), lost websocket changes (must be 0),
# RSS and goroutines per instance with the check "growth over the last half
# < 10 %", and the PostgreSQL connections; the report with SVG charts goes
# to ./soak-report. Alone: .ci/bench soak   Options: MITWIRKEN_BENCH_SOAK_DURATION (default 10m).
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${MITWIRKEN_BENCH_SOAK_DURATION:-10m} .ci/soak
