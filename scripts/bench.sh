#!/usr/bin/env bash
# make bench: the Packbench report (bench/results.json and bench/results.md),
# then the Go micro-benchmarks. Numbers never fail the build.
set -euo pipefail
go run ./cmd/packbench-bench --out bench
echo
go test -tags ci -run '^$' -bench . -benchmem -count 1 ./... 2>&1 | grep -E '^(Benchmark|FAIL)' || true
