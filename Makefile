# switchboard — `make run` starts the demo, `make test` runs every test.
GO ?= go
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
FUZZTIME ?= 10s

.PHONY: all build run test test-ejabberd bench load-channels lint fuzz prosody clean

all: build

# One static binary (no cgo), built with the Go go.mod names.
build:
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/switchboard ./cmd/switchboard

# Prosody is the XMPP server of the demo and the integration tests: install
# it from Debian's packages when missing and we are root, else say how.
prosody:
	@if ! command -v prosody >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing Prosody (apt-get install prosody)"; \
			apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q prosody; \
		else \
			echo "Prosody is missing; install it with: sudo apt-get install -y prosody" >&2; \
			[ "$(MISSING_OK)" = 1 ]; \
		fi; \
	fi

run: build
	@$(MAKE) --no-print-directory prosody
	./bin/switchboard dev

# Unit and integration tests with the fuzz seeds, then a short run of every
# fuzz target (integration tests need Prosody: they skip without it, and fail
# without it when CI=true). The short run counts executions rather than
# seconds: with a duration, Go 1.26's fuzz coordinator can fail a target with
# "context deadline exceeded" when the deadline catches a worker mid-input
# on a busy machine (golang/go#75804, fixed in Go 1.27), with no crasher.
test:
	@$(MAKE) --no-print-directory prosody MISSING_OK=1
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 20m ./...
	@$(MAKE) --no-print-directory test-ejabberd
	@$(MAKE) --no-print-directory fuzz FUZZTIME=20000x

# The integration tests again on ejabberd, when it is installed (under
# CI it must be: .ci/run installs it).
test-ejabberd:
	@if command -v ejabberdctl >/dev/null 2>&1 || [ "$$CI" = true ]; then \
		echo "SWITCHBOARD_TEST_SERVER=ejabberd $(GO) test -race -count=1 -timeout 20m ./component/ ./component/ejabberd/"; \
		SWITCHBOARD_TEST_SERVER=ejabberd $(GO) test -race -count=1 -timeout 20m ./component/ ./component/ejabberd/; \
	else \
		echo "ejabberd is not installed: its share of the integration tests is skipped (apt-get install -y ejabberd)"; \
	fi

bench:
	$(GO) test -run '^$$' -bench . -benchmem -count=1 ./...

# The SMS channel under load against a fake provider, and an outage of
# the provider (about a minute; needs Prosody).
load-channels:
	@$(MAKE) --no-print-directory prosody
	$(GO) run ./cmd/sbload -channels

lint:
	$(GO) vet ./...
	@out=$$(gofmt -s -l .); if [ -n "$$out" ]; then echo "gofmt -s would change:"; echo "$$out"; exit 1; fi
	$(GO) run $(STATICCHECK) ./...
	@cp go.mod /tmp/switchboard.go.mod.bak && cp go.sum /tmp/switchboard.go.sum.bak && $(GO) mod tidy && \
		if ! git diff --quiet -- go.mod go.sum; then echo "go mod tidy changes go.mod/go.sum"; git diff -- go.mod go.sum; \
		cp /tmp/switchboard.go.mod.bak go.mod; cp /tmp/switchboard.go.sum.bak go.sum; exit 1; fi

# Each fuzz target for FUZZTIME; crashers land in testdata/fuzz/ of their
# package and then run as regression cases in `make test`.
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "fuzz $$pkg $$f"; \
			$(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done

clean:
	rm -rf bin .run
