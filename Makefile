# Packbench: `make run` to start the app, `make test` for every test.
GO  ?= go
BIN := bin/packbench
# Pinned: the same checks on every machine (staticcheck.conf says which).
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
export PATH := $(PATH):/usr/local/go/bin

.PHONY: deps build run test bench screenshots release clean

deps:
	@scripts/deps.sh

build: deps
	$(GO) build -o $(BIN) .

# ARGS passes flags through, e.g. make run ARGS="--data-dir /tmp/pb".
run: build
	./$(BIN) $(ARGS)

# The tests also need CUPS and poppler (a real print server, PDFs to scan).
# -tags ci: the window's tests (package ui, and the bench's cold start) run
# on Fyne's headless test driver, which that tag selects; without it Fyne
# links its GL driver, which needs a display. So a plain `go test ./...`
# skips the UI tests (their files carry the ci build tag); make test runs all.
test: export PACKBENCH_WITH_TEST_TOOLS := 1
test: deps
	@test -z "$$(gofmt -l .)" || { echo "gofmt would change:"; gofmt -l .; exit 1; }
	$(GO) vet -tags ci ./...
	@# Windows and macOS: every package compiles there too (cgo aside: the
	@# window's GL driver needs the platform's C compiler, which make release
	@# has for Windows; internal/winetest runs the Windows tests under Wine).
	GOOS=windows CGO_ENABLED=0 $(GO) vet -tags ci $$($(GO) list ./... | grep -v -e /cmd/packbench-bench -e /internal/winetest)
	GOOS=darwin CGO_ENABLED=0 $(GO) vet -tags ci $$($(GO) list ./... | grep -v -e /internal/winetest -e 'packbench$$')
	$(GO) run $(STATICCHECK) -tags ci ./...
	$(GO) test -race -tags ci $$($(GO) list ./... | grep -v /internal/labelcorpus)
	@# The store's suite again on PostgreSQL, the database several benches
	@# share (internal/pgtest starts a private server).
	PACKBENCH_TEST_DATABASE=postgres $(GO) test -race -tags ci ./store
	@# The label corpus is one goroutine of image loops: the race detector
	@# finds nothing there and makes it 14 times slower.
	$(GO) test -tags ci ./internal/labelcorpus
	$(GO) build -o $(BIN) .

# QUICK=1: every figure, smaller (CI runs it: a figure that cannot be
# measured fails; a number never does).
bench:
	@scripts/bench.sh

# The real app under xvfb on the demo store: PNGs of the main screens in docs/screenshots.
screenshots: export PACKBENCH_WITH_XVFB := 1
screenshots: build
	@d=$$(mktemp -d); xvfb-run -a -s "-screen 0 1280x800x24" env PACKBENCH_SCREENSHOTS=$(CURDIR)/docs/screenshots ./$(BIN) --data-dir $$d; s=$$?; rm -rf $$d; exit $$s
	@ls docs/screenshots

# dist/: the Windows MSI and zip, the Linux tar.xz, the static auth broker
# and their SHA-256 sums (scripts/release.sh).
release: export PACKBENCH_WITH_RELEASE_TOOLS := 1
release: deps
	@scripts/release.sh

clean:
	rm -rf bin dist rsrc_windows_amd64.syso
