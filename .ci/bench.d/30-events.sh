# Issue 3 and 16: the registration rush – 2,000 people with personal access
# tokens, 100 concurrent HTTP connections, one 35-seat first-come event, the
# whole platform on PostgreSQL (mail worker included). Prints throughput,
# p50/p90/p99 latency and the invariant check (never more confirmed than
# seats, every answer stored, waiting list contiguous in arrival order);
# then, in the same run, the ceiling: pgbench running exactly the
# registration's statements (app/web/testdata/rush_registration.pgbench) at
# 1, 10, 20, 50 and 100 clients, the app's rate as a share of the best, and
# the open-loop table (fixed arrival rates at 25/50/75 % of each closed-loop
# capacity, p50/p99 from the scheduled arrival) for the app and pgbench --rate.
# Alone: .ci/bench events    More runs: MITWIRKEN_BENCH_COUNT=5 .ci/bench events
. .ci/lib.sh
command -v pgbench >/dev/null || apt_install postgresql-client || say "pgbench fehlt (Debian: postgresql-client): ohne Obergrenze"
go test -run '^$' -bench 'RegistrationRush' -benchtime 1x -count "${MITWIRKEN_BENCH_COUNT:-3}" -timeout 30m ./app/web/
