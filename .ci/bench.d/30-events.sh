# Issue 3: the registration rush – 2,000 people with personal access tokens,
# 100 concurrent HTTP connections, one 35-seat first-come event, the whole
# platform on PostgreSQL (mail worker included). Prints throughput, p50/p90/p99
# latency and the invariant check (never more confirmed than seats, every
# answer stored, waiting list contiguous in arrival order).
# Alone: .ci/bench events    More runs: MITWIRKEN_BENCH_COUNT=5 .ci/bench events
go test -run '^$' -bench 'RegistrationRush' -benchtime 1x -count "${MITWIRKEN_BENCH_COUNT:-3}" -timeout 20m ./app/web/
