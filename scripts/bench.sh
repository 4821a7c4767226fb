#!/usr/bin/env bash
# make bench: the Packbench report (bench/results.json and bench/results.md),
# then the Go micro-benchmarks. Numbers never fail the build; a figure that
# cannot be measured does. QUICK=1 (CI) runs every figure smaller and writes
# bench/quick/ instead.
set -euo pipefail
if [ "${QUICK:-0}" = 1 ]; then
	go run ./cmd/packbench-bench --quick --out bench/quick
	echo
	go test -tags ci -run '^$' -bench . -benchtime 100ms -count 1 ./... 2>&1 | grep -E '^(Benchmark|FAIL)' || true
	exit 0
fi
go run ./cmd/packbench-bench --out bench
echo
go test -tags ci -run '^$' -bench . -benchmem -count 1 ./... 2>&1 | grep -E '^(Benchmark|FAIL)' || true
