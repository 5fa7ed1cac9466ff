# sre-playground: the two commands are `make run` and `make test`; both set everything up.
SHELL := /bin/bash
PRESET ?= release
BUILD_DIR := build/$(PRESET)
PYTHON := /usr/bin/python3
export CCACHE_DIR ?= $(HOME)/.cache/sre-playground-ccache
export CCACHE_MAXSIZE ?= 2G
# Relative paths in the cache key: worktrees and fresh clones elsewhere reuse the same objects.
export CCACHE_BASEDIR ?= $(CURDIR)

.PHONY: all bootstrap web build run stack test unit-test e2e-test bench lint check-layers format slo clean mutants
.PHONY: install deploy-test test-containers
.PHONY: test-sanitize test-sanitize-ci fuzz

all: build

bootstrap:
	@scripts/bootstrap

# Page assets (Swagger UI for /docs) come from npm, pinned by web/package-lock.json.
web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
web: bootstrap web/node_modules/.package-lock.json

# Configure every time (about a second): it records the current git commit for build_info.
build: bootstrap web
	@cmake --preset $(PRESET) >/dev/null
	cmake --build --preset $(PRESET)

# bin/sre-playground and share/sre-playground/web under PREFIX (cmake --install).
PREFIX ?= /usr/local
install: build
	cmake --install $(BUILD_DIR) --prefix $(PREFIX)

run: build
	$(BUILD_DIR)/sre-playground serve

# The whole system on loopback (scripts/stack: PostgreSQL, Redis, moto, grade service, three
# API replicas behind nginx on :8000, worker, Prometheus, Alertmanager); `scripts/stack down`.
stack: build
	SRE_PLAYGROUND_BIN=$(CURDIR)/$(BUILD_DIR)/sre-playground scripts/stack up

test: build unit-test e2e-test deploy-test

# Unit tests of the C++ code, then of the project's own scripts (scripts/check-layers).
unit-test:
	ctest --preset $(PRESET) -j2
	$(PYTHON) -m pytest tests/scripts -q

# The suites that talk to the API through the session `server` fixture run a second time
# with PostgreSQL behind it (the rest, and the PostgreSQL fault and migration tests, run once).
E2E_STORE_SUITES := $(addprefix tests/e2e/,test_students.py test_validation.py \
  test_concurrency.py test_hostile_inputs.py test_metrics.py test_logs.py test_service_endpoints.py \
  test_paging.py)

e2e-test:
	SRE_PLAYGROUND_BIN=$(CURDIR)/$(BUILD_DIR)/sre-playground $(PYTHON) -m pytest tests/e2e -q
	SRE_E2E_STORE=postgres SRE_PLAYGROUND_BIN=$(CURDIR)/$(BUILD_DIR)/sre-playground \
	  $(PYTHON) -m pytest $(E2E_STORE_SUITES) -q

# deploy/k8s (rendered by kubectl kustomize) and deploy/terraform (terraform fmt -check) against
# the application's settings, ports, probe paths and AWS provisioning.
deploy-test:
	SRE_PLAYGROUND_BIN=$(CURDIR)/$(BUILD_DIR)/sre-playground $(PYTHON) -m pytest tests/deploy -q

# The images built and run with podman: the app container alone, then the compose stack
# (docker-compose.yml + compose.podman.yml). README "Containers" says how long it takes.
test-containers: build
	scripts/bootstrap --containers
	$(PYTHON) -m pytest tests/containers -q -s

# clang builds with AddressSanitizer + UBSan and with ThreadSanitizer (scripts/test-sanitize):
# every unit test, every fuzz target over its seed corpus then FUZZ_SMOKE_SECONDS (5) of
# fuzzing, and the whole e2e suite under ASan/UBSan; the threaded unit tests and the e2e files
# that load the server under TSan. SANITIZE=asan-ubsan or SANITIZE=tsan runs one half.
test-sanitize: bootstrap web
	scripts/test-sanitize

# What .ci/run runs of it (README "Sanitizers, fuzzing and the second compiler" has the times):
# the same builds and unit tests, the fuzz targets for 2 s each, and a subset of the e2e files.
test-sanitize-ci: bootstrap web
	FUZZ_SMOKE_SECONDS=$${FUZZ_SMOKE_SECONDS:-2} scripts/test-sanitize --ci

# Every libFuzzer target (tests/fuzz) for FUZZ_SECONDS each, from its committed seed corpus.
FUZZ_SECONDS ?= 60
fuzz: bootstrap
	@cmake --preset asan-ubsan >/dev/null
	cmake --build --preset asan-ubsan -j2
	tests/fuzz/run --seconds $(FUZZ_SECONDS)

bench: build
	bench/run

# Each mutation of scripts/mutants.toml planted alone in a scratch copy (build/mutants), rebuilt
# through ccache and run against the tests that cover it: killed or survived, with the time.
mutants: build
	scripts/mutants

# Format check and clang-tidy on the C++ files changed against origin/main (or all if none).
lint: build check-layers
	scripts/lint

# Every include and link edge between folders of src/ against docs/architecture.md's layers.
check-layers: bootstrap
	$(PYTHON) scripts/check-layers

# Rewrites the files generated from monitoring/slo.yaml (commit them; a test compares).
slo: build
	$(BUILD_DIR)/sre-playground slo generate

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf build
