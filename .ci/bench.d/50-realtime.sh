#!/usr/bin/env bash
# Issues 5 and 17: live boards. Websocket clients on one board, 10 card
# changes per second through the real server (PostgreSQL): 1,000 and 2,000
# clients on one instance, 2,000 split over two instances. Prints delivery
# latency p50/p99 (submission → arrival at each client), CPU per instance and
# the memory per idle connection: headline the resident memory (RSS with the
# clients connected and idle minus before they connected, no forced garbage
# collection; target < 30 KiB), then live heap and heap+stacks.
# Alone: .ci/bench realtime   Options: MITWIRKEN_BENCH_CLIENTS (e.g. "1000 2000"), MITWIRKEN_BENCH_SECONDS.
set -euo pipefail
cd "$(dirname "$0")/../.."
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
bin=$(mktemp -d)/wsload
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" ./cmd/wsload
seconds=${MITWIRKEN_BENCH_SECONDS:-30}
for clients in ${MITWIRKEN_BENCH_CLIENTS:-1000 2000}; do
  "$bin" -db "$MITWIRKEN_TEST_DATABASE_URL" -clients "$clients" -instances 1 -rate 10 -duration "${seconds}s"
done
"$bin" -db "$MITWIRKEN_TEST_DATABASE_URL" -clients 2000 -instances 2 -rate 10 -duration "${seconds}s"
