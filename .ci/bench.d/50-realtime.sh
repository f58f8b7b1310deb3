#!/usr/bin/env bash
# Issue 5: live boards. 2,000 websocket clients on one board, 10 card changes
# per second through the real server (PostgreSQL), on one instance and split
# over two instances. Prints delivery latency p50/p99 (submission → arrival
# at each client), CPU per instance and memory per idle connection.
# Alone: .ci/bench realtime   Options: MITWIRKEN_BENCH_CLIENTS, MITWIRKEN_BENCH_SECONDS.
set -euo pipefail
cd "$(dirname "$0")/../.."
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
bin=$(mktemp -d)/loadtest
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" ./app/realtime/loadtest
clients=${MITWIRKEN_BENCH_CLIENTS:-2000}
seconds=${MITWIRKEN_BENCH_SECONDS:-30}
for instances in 1 2; do
  "$bin" -db "$MITWIRKEN_TEST_DATABASE_URL" -clients "$clients" -instances "$instances" -rate 10 -duration "${seconds}s"
done
