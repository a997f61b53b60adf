# guidebox — `make run` (offline demo) and `make test` (every test) are the two commands.
SHELL := /bin/bash
GO ?= go
BIN := bin/guidebox
export GOFLAGS ?= -mod=mod

.PHONY: help run build test test-go test-ui test-short bench fuzz vet fmt ui-deps ui-build mysql-up migrate clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

run: build ## the offline demo: SQLite file, built-in WeCom simulator, demo data, on http://127.0.0.1:8080
	./$(BIN) serve --config configs/demo.yaml

# `guidebox version` prints these; a plain `go build` says "devel" instead.
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
COMMIT := $(shell git rev-parse HEAD 2>/dev/null)
BUILD_DATE := $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS := -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.date=$(BUILD_DATE)

build: ui-build ## build bin/guidebox (embeds the sidebar; version, commit and date from git)
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/guidebox

test: ui-build ## every test: Go (on MySQL, started if needed) and the sidebar in headless Chromium
	@$(MAKE) --no-print-directory test-go test-ui

test-go: ## Go tests on a real MySQL (found or started by scripts/ensure-mysql.sh)
	export TEST_MYSQL_DSN="$$(scripts/ensure-mysql.sh)" && $(GO) test -count=1 -timeout 10m ./...

test-ui: ## browser tests of the sidebar and admin pages (scripts/test-ui.sh)
	@if [ -x scripts/test-ui.sh ]; then scripts/test-ui.sh; else echo "test-ui: no browser tests yet"; fi

test-short: ## unit tests without MySQL or a browser
	$(GO) test -short -count=1 ./...

bench: ## benchmarks: callback intake, sidebar card, handover (method and figures: docs/benchmarks.md)
	export TEST_MYSQL_DSN="$$(scripts/ensure-mysql.sh)" && $(GO) test -run '^$$' -bench . -benchtime 1x -timeout 20m ./... && \
	GUIDEBOX_SCALE=1 $(GO) test -count=1 -run TestHandoverScale -v -timeout 10m ./service/

fuzz: ## fuzz the callback crypto and parser for 20 s each
	for f in FuzzOpen FuzzDecrypt FuzzParseMessage; do $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime 20s ./wecom/callback/ || exit 1; done

vet: ## go vet
	$(GO) vet ./...

fmt: ## gofmt
	gofmt -w $$(git ls-files '*.go')

# npm install, not npm ci: the registry reachable here omits some of rollup's optional platform
# packages from the lock file, which npm ci then refuses; npm install follows the lock all the same.
ui-deps: ## install sidebar-ui's npm packages
	@if [ -f sidebar-ui/package.json ]; then cd sidebar-ui && { [ -d node_modules/.bin ] || npm install --no-audit --no-fund; }; fi

ui-build: ui-deps ## build sidebar-ui into sidebar-ui/dist (embedded by go:embed)
	@if [ -f sidebar-ui/package.json ]; then cd sidebar-ui && npm run build --silent; fi

mysql-up: ## find or start a MySQL for tests and print its DSN
	scripts/ensure-mysql.sh

migrate: build ## apply schema changes with the configured database
	./$(BIN) migrate --config $${CONFIG:-configs/demo.yaml}

clean: ## remove build output and the demo database
	rm -rf bin data sidebar-ui/dist/assets
