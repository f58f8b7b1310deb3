#!/usr/bin/env bash
# Issue 15: a survey with 50,000 synthetic responses (eight answers each) on
# PostgreSQL and on SQLite. Prints the results page over real HTTP (p50/p95
# in ms, target < 200 ms) and the CSV and XLSX exports of that survey and of
# one a fifth its size, side by side, with the peak heap of each run and
# their ratio (flat memory: the ratio stays near 1, far below 5).
# Alone: .ci/bench surveys    Other size: MITWIRKEN_BENCH_RESPONSES=10000 .ci/bench surveys
set -euo pipefail
conditions() { echo "$1: $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"; }
for db in postgres sqlite; do
  conditions "$db start"
  MITWIRKEN_TEST_DB=$db go test -run '^$' -bench '^BenchmarkSurveyResults$' -benchtime 3x -timeout 60m ./app/web/
  conditions "$db end"
done
