# guidebox — `make run` (offline demo) and `make test` (every test) are the two commands.
SHELL := /bin/bash
GO ?= go
BIN := bin/guidebox
export GOFLAGS ?= -mod=mod

.PHONY: help run build test test-go test-ui test-short bench bench-campaign bench-intake fuzz vet fmt ui-deps ui-build mysql-up redis-up migrate clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

run: build ## the offline demo: SQLite file, built-in WeCom simulator, demo data, on http://127.0.0.1:8080
	./$(BIN) serve --config configs/demo.yaml

# `guidebox version` prints these; a plain `go build` says "devel" instead.
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
COMMIT := $(shell git rev-parse HEAD 2>/dev/null)
BUILD_DATE := $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS := -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.date=$(BUILD_DATE)

build: ui-build ## build bin/guidebox (embeds the sidebar and the admin console; version, commit and date from git)
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/guidebox

test: ui-build ## every test: Go (on MySQL and Redis, started if needed) and the sidebar in headless Chromium
	@$(MAKE) --no-print-directory test-go test-ui

test-go: ## Go tests with the race detector on a real MySQL and Redis (scripts/ensure-mysql.sh, ensure-redis.sh)
	TEST_MYSQL_DSN="$$(scripts/ensure-mysql.sh)" && TEST_REDIS_ADDR="$$(scripts/ensure-redis.sh)" && \
	export TEST_MYSQL_DSN TEST_REDIS_ADDR && $(GO) test -race -count=1 -timeout 10m ./...

test-ui: ## browser tests of the sidebar and admin pages (scripts/test-ui.sh)
	@if [ -x scripts/test-ui.sh ]; then scripts/test-ui.sh; else echo "test-ui: no browser tests yet"; fi

test-short: ## unit tests without MySQL, Redis or a browser
	$(GO) test -short -count=1 ./...

bench: ## benchmarks: callback intake, order ingestion, sidebar card and home, customer timeline, recommendations, auto-tag pass, handover, KPI rollups (method and figures: docs/benchmarks.md)
	TEST_MYSQL_DSN="$$(scripts/ensure-mysql.sh)" && export TEST_MYSQL_DSN && $(GO) test -run '^$$' -bench . -skip 'Campaign|IntakeAtLimit' -benchtime 1x -timeout 20m ./... && \
	GUIDEBOX_SCALE=1 $(GO) test -count=1 -run TestHandoverScale -v -timeout 10m ./service/handover/

bench-campaign: ## the campaign benchmark at WeCom's real limits: 100,000 adds in 10 minutes (GUIDEBOX_CAMPAIGN_* sizes it)
	TEST_MYSQL_DSN="$$(scripts/ensure-mysql.sh)" && export TEST_MYSQL_DSN && $(GO) test -run '^$$' -bench Campaign -benchtime 1x -timeout 90m ./cmd/guidebox/

bench-intake: ## serve's callback intake against a minimal net/http baseline, side by side, load generator in its own process (GUIDEBOX_INTAKE_* sizes it)
	TEST_MYSQL_DSN="$$(scripts/ensure-mysql.sh)" && export TEST_MYSQL_DSN && $(GO) test -run '^$$' -bench IntakeAtLimit -benchtime 1x -timeout 30m -v ./cmd/guidebox/

fuzz: ## fuzz the callback crypto and parser for 20 s each
	for f in FuzzOpen FuzzDecrypt FuzzParseMessage FuzzFlatAgreesWithXML; do $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime 20s ./wecom/callback/ || exit 1; done

vet: ## go vet
	$(GO) vet ./...

fmt: ## gofmt
	gofmt -w $$(git ls-files '*.go')

# npm ci installs exactly the committed lock and never rewrites it (a fresh clone stays clean); it
# runs again when the lock is newer than the last install. After changing package.json, run
# `npm install` in sidebar-ui and commit the lock it writes (npm ci refuses a lock out of step).
ui-deps: ## install sidebar-ui's npm packages from the lock file
	@if [ -f sidebar-ui/package.json ]; then cd sidebar-ui && { [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; }; fi

ui-build: ui-deps ## build sidebar-ui into sidebar-ui/dist (embedded by go:embed)
	@if [ -f sidebar-ui/package.json ]; then cd sidebar-ui && npm run build --silent; fi

mysql-up: ## find or start a MySQL for tests and print its DSN
	scripts/ensure-mysql.sh

redis-up: ## find or start a Redis for tests and print its address
	scripts/ensure-redis.sh

migrate: build ## apply schema changes with the configured database
	./$(BIN) migrate --config $${CONFIG:-configs/demo.yaml}

clean: ## remove build output and the demo database
	rm -rf bin data sidebar-ui/dist/assets
