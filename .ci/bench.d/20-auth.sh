#!/usr/bin/env bash
# Memory of a login burst: 40 people log in through the form at the same
# moment against one instance with the production pool (20 connections),
# three bursts. Prints logins/s and the process's peak RSS per burst. Each
# password check (Argon2id) holds 19 MiB while it runs; at most GOMAXPROCS
# run at once (docs/operations.md, "Memory of logins").
# Alone: .ci/bench auth
go test -run '^$' -bench 'LoginBurst' -benchtime 3x -count 1 -timeout 10m ./app/web/
