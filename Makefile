# mitwirken – the two commands a newcomer needs are `make run` and `make test`.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: run build test test-sqlite test-postgres bench soak vet fmt clean

## run: start the platform on http://127.0.0.1:8080 with SQLite (./data/mitwirken.db) and demo content
run:
	MITWIRKEN_DEMO=true $(GO) run ./cmd/mitwirken serve

## build: a static binary in bin/mitwirken
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o bin/mitwirken ./cmd/mitwirken

## test: every test, on SQLite and on PostgreSQL, with Chromium and axe-core (installs what is missing)
test:
	.ci/test

## test-sqlite / test-postgres: one database only (same preparation as `make test`)
test-sqlite:
	MITWIRKEN_TEST_ONLY=sqlite .ci/test
test-postgres:
	MITWIRKEN_TEST_ONLY=postgres .ci/test

## bench: the benchmarks of the issues (see docs/benchmarks.md)
bench:
	.ci/bench

## soak: mixed load on 3 instances for DURATION (default 10m), report in ./soak-report (docs/operations.md)
DURATION ?= 10m
soak:
	DURATION=$(DURATION) .ci/soak

vet:
	$(GO) vet ./...

fmt:
	gofmt -w cmd app views static migrations docs

clean:
	rm -rf bin
