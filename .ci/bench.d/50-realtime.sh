#!/usr/bin/env bash
# Issues 5, 16 and 17: live boards. Websocket clients on one board, 10 card
# changes per second through the real server (PostgreSQL): 1,000 and 2,000
# clients on one instance, each followed in the same run by Centrifugo
# v6.9.1 with the same clients, rate and a 200-byte payload (side by side:
# p99 and RSS per connection for both); 2,000 clients with the server's
# GOGC at 50; 2,000 split over two instances; and BenchmarkFanOut (one
# frame to 500 clients, framed per connection vs. prepared once). Prints delivery latency
# p50/p99 (submission → arrival at each client), CPU per instance and the
# memory per idle connection: headline the resident memory (RSS with the
# clients connected and idle minus before they connected, no forced garbage
# collection; target < 30 KiB), then live heap and heap+stacks.
# Alone: .ci/bench realtime   Options: MITWIRKEN_BENCH_CLIENTS (e.g. "1000 2000"), MITWIRKEN_BENCH_SECONDS.
set -euo pipefail
cd "$(dirname "$0")/../.."
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
bin=$(mktemp -d)/wsload
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" ./cmd/wsload
# Centrifugo is built once from the Go module proxy into a cache directory.
centrifugo_dir=${XDG_CACHE_HOME:-$HOME/.cache}/mitwirken-bench/centrifugo-v6.9.1
centrifugo=$centrifugo_dir/centrifugo
if [ ! -x "$centrifugo" ]; then
  echo "Installing Centrifugo v6.9.1 (go install, once) into $centrifugo_dir"
  (cd "$(mktemp -d)" && GOBIN=$centrifugo_dir GOFLAGS=-mod=mod go install github.com/centrifugal/centrifugo/v6@v6.9.1)
fi
# Cost of one board frame sent to 500 clients: framed per connection vs.
# prepared once (allocs/op are the server's; the clients allocate nothing).
go test -run '^$' -bench FanOut -benchtime 300x -count 3 ./app/realtime/ | grep -E '^(Benchmark|cpu)'
seconds=${MITWIRKEN_BENCH_SECONDS:-30}
for clients in ${MITWIRKEN_BENCH_CLIENTS:-1000 2000}; do
  "$bin" -db "$MITWIRKEN_TEST_DATABASE_URL" -clients "$clients" -instances 1 -rate 10 -duration "${seconds}s" -centrifugo "$centrifugo"
done
"$bin" -db "$MITWIRKEN_TEST_DATABASE_URL" -clients 2000 -instances 1 -rate 10 -duration "${seconds}s" -gogc 50
"$bin" -db "$MITWIRKEN_TEST_DATABASE_URL" -clients 2000 -instances 2 -rate 10 -duration "${seconds}s"
