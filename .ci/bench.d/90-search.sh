#!/usr/bin/env bash
# Issue 15: one search of the search page (the best five results of every
# kind, with counts) among 100,000 synthetic contributions, on PostgreSQL and
# on SQLite, cycling through 25 typical queries. Prints ns/op, p50, p95 and
# the slowest search in ms, and the CPU time per search. Target: p95 < 50 ms.
# Alone: .ci/bench search    Other size: MITWIRKEN_BENCH_CONTRIBUTIONS=20000 .ci/bench search
set -euo pipefail
for db in postgres sqlite; do
  MITWIRKEN_TEST_DB=$db go test -run '^$' -bench '^BenchmarkSearch$' -benchtime 250x -timeout 60m ./app/store/
done
