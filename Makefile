# Doorway's developer tasks. `make test` is what CI runs (.ci/run).
SHELL := /bin/bash
GO ?= go
AXE_DIR := $(CURDIR)/.tools/axe
CHROMIUM ?= /usr/bin/chromium
FUZZTIME ?= 10s

.PHONY: test generate check-generate vet staticcheck unit load-smoke fuzz browser-deps bench run mailpit mail-demo mutate

test: check-generate vet staticcheck browser-deps unit load-smoke fuzz

generate:
	$(GO) tool templ generate

# The generated *_templ.go files are committed; CI fails when they are stale.
check-generate:
	$(GO) tool templ generate
	@if [ -n "$$(git status --porcelain -- '*_templ.go')" ]; then \
		echo "go tool templ generate changed files: run it and commit the result"; \
		git status --porcelain -- '*_templ.go'; exit 1; fi

vet:
	$(GO) vet ./...

staticcheck:
	$(GO) tool staticcheck ./...

# Browser tests need Debian's Chromium and axe-core (npm, test-only, git-ignored folder).
browser-deps:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "Chromium missing at $(CHROMIUM): install the chromium package"; fi; fi
	@if [ ! -f "$(AXE_DIR)/node_modules/axe-core/axe.min.js" ]; then \
		mkdir -p "$(AXE_DIR)" && npm install --prefix "$(AXE_DIR)" --no-audit --no-fund --silent axe-core@4 >/dev/null; fi
	@# The kiosk slip's QR code is decoded in tests: rsvg-convert draws the page's SVG, zbarimg reads it.
	@if ! command -v zbarimg >/dev/null || ! command -v rsvg-convert >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zbar-tools librsvg2-bin >/dev/null \
			|| { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zbar-tools librsvg2-bin >/dev/null; }; \
		else echo "zbarimg or rsvg-convert missing: install zbar-tools and librsvg2-bin"; fi; fi

# The store suite and the two-instance proofs need PostgreSQL: .ci/pg.sh starts a throwaway
# cluster (installing PostgreSQL with apt only when it is missing), sets DOORWAY_TEST_PG for
# the tests and stops the cluster however they end. With DOORWAY_TEST_PG already set, it uses
# that database instead. The full output goes to $(TESTLOG) (test2json); .ci/testsum prints a
# line per package, every failure in full, the skipped tests, and which PostgreSQL tests ran
# (it fails when none did).
TESTLOG := $(CURDIR)/.tools/test.json
unit:
	@mkdir -p "$(dir $(TESTLOG))"; status=0; \
	DOORWAY_AXE_DIR="$(AXE_DIR)" DOORWAY_CHROMIUM="$(CHROMIUM)" \
		bash .ci/pg.sh $(GO) test -race -count=1 -timeout 15m -json ./... > "$(TESTLOG)" 2>&1 || status=$$?; \
	$(GO) run ./.ci/testsum "$(TESTLOG)" || status=1; \
	echo "full test output: $(TESTLOG)"; exit $$status

# The load benchmarks at a small count: their no-5xx and booked-not-failed assertions run in
# every make test, not only when someone measures.
load-smoke:
	DOORWAY_AXE_DIR="$(AXE_DIR)" $(GO) test -run='^$$' -bench='BenchmarkHoldConfirm|BenchmarkSearch' -benchtime=20x -count=1 ./e2e/

# A short fuzz run of the Redox decoder: it must never panic.
fuzz:
	$(GO) test -run='^$$' -fuzz=FuzzDecode -fuzztime=$(FUZZTIME) ./booking/redox/

bench:
	bash .ci/pg.sh $(GO) test -run='^$$' -bench=. -benchmem ./...

run:
	$(GO) run .

# Mailpit, the mail catcher of the email demo and of e2e's TestMailpit (which builds it by
# itself, in the background, when it is missing): built into .tools/bin once.
MAILPIT_VERSION := v1.33.1
MAILPIT := $(CURDIR)/.tools/bin/mailpit
mailpit:
	@[ -x "$(MAILPIT)" ] || { echo "building Mailpit $(MAILPIT_VERSION) into .tools/bin (a few minutes, once)"; \
		GOBIN="$(CURDIR)/.tools/bin" GOFLAGS= $(GO) install github.com/axllent/mailpit@$(MAILPIT_VERSION); }

# The demo clinic with emails: Mailpit catches them; its inbox is http://127.0.0.1:8025
# (docs/EMAIL.md). Ctrl-C stops both.
mail-demo: mailpit
	@"$(MAILPIT)" --smtp 127.0.0.1:1025 --listen 127.0.0.1:8025 --smtp-auth-accept-any --smtp-auth-allow-insecure \
		--disable-version-check -q & pid=$$!; trap 'kill $$pid 2>/dev/null' EXIT; \
	echo "Mailpit's inbox: http://127.0.0.1:8025"; \
	$(GO) run . -smtp-host 127.0.0.1 -smtp-port 1025 -smtp-tls none -smtp-from appointments@riverbend.example

# Mutation testing (docs/TESTING.md), not part of make test: it takes tens of minutes a package.
#   make mutate PKG=./booking/    doorway/booking, without booking/redox, sandbox, clinicfile
#   make mutate PKG=./store/      store/*.go, killed by the storetest suite on SQLite
#   make mutate PKG=./store/ PG=1 ... and on PostgreSQL too (.ci/pg.sh; about 5 times slower)
#   make mutate PKG=./web/        doorway/web
# Gremlins mutates the package's own files (-E / leaves out those of its subpackages, which
# its tests do not run) and runs the package's tests against each mutant. The store's tests
# live in store/storetest and run from store/sqlite and store/postgres: store/mutate_test.go
# (build tag mutate) runs the same suite from the store package, so both the coverage and
# each mutant's run are that suite's. One worker: the machine has 2 cores. The target fails
# when efficacy (killed / (killed + lived)) is under MUTATE_EFFICACY percent; the lived,
# timed-out and not-viable mutants are listed, and every mutant's status is in
# .tools/mutate-NAME.json.
GREMLINS := $(GO) run github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0
MUTATE_WORKERS ?= 1
MUTATE_EFFICACY ?= 85
# A mutant's go test may take this many times the coverage run (gremlins' default, 3); raise it
# on a busy machine, where slow runs would otherwise count as timed out. The coverage run must
# really run (-count=1): a result from go's test cache takes a second and would leave each
# mutant a few seconds, too few to build and run the package's tests.
MUTATE_TIMEOUT_COEFFICIENT ?= 3
mutate_name = $(notdir $(patsubst %/,%,$(PKG)))
mutate:
	@case "$(mutate_name)" in booking|store|web) ;; \
		*) echo "make mutate PKG=./booking/|./store/|./web/ (got PKG=$(PKG))"; exit 2;; esac
	@mkdir -p .tools
	$(if $(PG),bash .ci/pg.sh) env GOFLAGS="$$GOFLAGS -count=1" $(GREMLINS) unleash --workers $(MUTATE_WORKERS) -E / \
		--timeout-coefficient $(MUTATE_TIMEOUT_COEFFICIENT) \
		$(if $(filter store,$(mutate_name)),--tags mutate) -S ltv \
		--threshold-efficacy $(MUTATE_EFFICACY) -o "$(CURDIR)/.tools/mutate-$(mutate_name).json" \
		./$(mutate_name)
