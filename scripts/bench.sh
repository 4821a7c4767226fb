#!/usr/bin/env bash
# Runs every Go benchmark once and prints the results; the full report of
# the performance issue (bench/results.json) is not built yet.
set -euo pipefail
out=$(go test -tags ci -run '^$' -bench . -benchmem -count 1 ./... 2>&1) || { echo "$out"; exit 1; }
if ! grep -q '^Benchmark' <<<"$out"; then
	echo "bench: none yet"
	exit 0
fi
grep -E '^(Benchmark|ok|goos|goarch|cpu|pkg)' <<<"$out"
