#!/usr/bin/env bash
# Issue 13: suggestions of similar contributions for one contribution among
# 100,000 synthetic ones (seeded and indexed first), on PostgreSQL and on
# SQLite. Prints ns/op, the median and the 99th percentile in ms, and the CPU
# time of the process per query. The target is < 100 ms per suggestion list.
# Alone: .ci/bench similar    Other size: MITWIRKEN_BENCH_CONTRIBUTIONS=20000 .ci/bench similar
set -euo pipefail
for db in postgres sqlite; do
  MITWIRKEN_TEST_DB=$db go test -run '^$' -bench 'SimilarContributions' -benchtime 300x -timeout 60m ./app/store/
done
