#!/usr/bin/env bash
# Issue 4: server time of a chapter page with 500 comments (default page with
# 50 threads, and all 500 on one page), with the number of SQL statements per
# request and the allocations, on PostgreSQL. The target is < 50 ms per render.
go test -run '^$' -bench 'ChapterPage500' -benchtime 200x -count 3 -benchmem -timeout 20m ./app/web/
