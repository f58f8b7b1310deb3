#!/usr/bin/env bash
# Issue 16: readers at the speed of static files. The chapter page with 500
# comments for readers without a session: the real server answering from its
# page cache, a static file server (net/http FileServer) with the same bytes,
# and an instance with the cache off, loaded in turn by the same client
# (cmd/httpload, 10 connections) on PostgreSQL. Prints each rate, the ratio
# cached/static (target ≥ 25 %) and how long a new comment on one instance
# takes to reach readers of another (target < 1 s).
# Alone: .ci/bench pagecache   Options: MITWIRKEN_BENCH_SECONDS (5), MITWIRKEN_BENCH_ROUNDS (3).
go test -run '^$' -bench 'PageCacheVsStatic' -benchtime 1x -count 1 -timeout 20m ./app/web/
