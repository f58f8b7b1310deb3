#!/usr/bin/env bash
# Issue 15: one search of the search page (the best five results of every
# kind, with counts) among 100,000 synthetic contributions, on PostgreSQL and
# on SQLite, cycling through 25 typical queries. Prints ns/op, p50, p95 and
# the slowest search in ms, the CPU time per search, and p50/p95 of the
# database's CPU time per search. Target: p95 < 50 ms.
# Alone: .ci/bench search    Other size: MITWIRKEN_BENCH_CONTRIBUTIONS=20000 .ci/bench search
# Reuse installations seeded before (`mitwirken seed --demo --contributions 100000`,
# minutes each) instead of seeding: MITWIRKEN_BENCH_POSTGRES_URL=postgres://… and
# MITWIRKEN_BENCH_SQLITE_URL=sqlite:///path/to.db
set -euo pipefail
for db in postgres sqlite; do
  url=""
  if [ "$db" = postgres ]; then url="${MITWIRKEN_BENCH_POSTGRES_URL:-}"; else url="${MITWIRKEN_BENCH_SQLITE_URL:-}"; fi
  echo "load average: $(cat /proc/loadavg)"
  MITWIRKEN_TEST_DB=$db MITWIRKEN_BENCH_DATABASE_URL="$url" go test -run '^$' -bench '^BenchmarkSearch$' -benchtime 250x -timeout 60m ./app/store/
done
echo "load average: $(cat /proc/loadavg)"
