# Turnpike developer entry points. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help
SETUP := hack/setup
BIN := $(or $(TURNPIKE_CACHE),$(HOME)/.cache/turnpike)/bin

.PHONY: help setup setup-standalone setup-bench deps build lint test test-unit test-e2e test-dataplane run cluster-up cluster-down clean bench-controlplane bench-policies bench-authz
.PHONY: images chart-sync chart-lint kind-up kind-down

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

setup: deps ## Install and build every component the tests need (cached in ~/.cache/turnpike)
	@bash $(SETUP)/envoy.sh
	@bash $(SETUP)/redis.sh
	@bash $(SETUP)/etcd.sh
	@bash $(SETUP)/kube.sh
	@bash $(SETUP)/ratelimit.sh
	@bash $(SETUP)/helm.sh
	@bash $(SETUP)/authn.sh

setup-standalone: deps ## Install only what standalone mode needs (Envoy, envoyproxy/ratelimit, Redis, the authn filter)
	@bash $(SETUP)/envoy.sh
	@bash $(SETUP)/redis.sh
	@bash $(SETUP)/ratelimit.sh
	@bash $(SETUP)/authn.sh

setup-bench: setup-standalone ## What the data-plane benches add: vegeta, the paced load generator
	@bash $(SETUP)/vegeta.sh

deps: node_modules/.package-lock.json ## npm dependencies (npm ci when package-lock.json changed)
node_modules/.package-lock.json: package-lock.json
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

build: deps ## Compile every workspace (tsc -b)
	@npx tsc -b

lint: deps ## Type-check and lint
	@npm run --silent lint

test: setup ## The full suite CI runs: the filter's Rust tests, then lint, unit, golden and end-to-end tests
	@$(MAKE) --no-print-directory test-dataplane
	@npm test

test-unit: deps ## Unit and golden tests only
	@npx jest --selectProjects unit

test-e2e: setup ## End-to-end specs against real components only
	@npx jest --selectProjects e2e

test-dataplane: ## The authn module's Rust tests and clippy
	@cd dataplane && cargo test --locked --workspace
	@cd dataplane && cargo clippy --locked --workspace --all-targets -- -D warnings

run: setup-standalone build ## Run the gateway on examples/ (standalone mode, no cluster needed)
	@MALLOC_ARENA_MAX=2 node --max-semi-space-size=8 operator/dist/cli.js standalone -f examples --demo-backends 18080,18081

bench-controlplane: setup build ## Control-plane benchmark, cluster and standalone modes side by side: translation, RSS, apply-to-served, edits under load (ARGS=--sizes 10000x500)
	@node bench/dist/controlplane/main.js $(ARGS)

bench-policies: setup-bench build ## Cost of policies: plain vs ACL vs Fast vs Exact throttling vs fully policed APP Api, saturated and paced (ARGS=--seconds 10)
	@node bench/dist/policies/main.js $(ARGS)

bench-authz: setup-bench build ## Cost of app authentication in Envoy: throughput, CPU and p99 of an APP Api vs NONE, saturated and paced (ARGS=--seconds 10)
	@node bench/dist/authz/main.js $(ARGS)

cluster-up: setup build ## A local gateway the kubectl way: kube-apiserver + etcd, the operator, Envoy, ratelimit + Redis, demo backends (docs/getting-started.md §2)
	@node e2e/dist/src/cli/cluster.js up

cluster-down: ## Stop every process cluster-up started
	@if [ -f e2e/dist/src/cli/cluster.js ]; then node e2e/dist/src/cli/cluster.js down; fi

IMAGE ?= turnpike/turnpike:dev
CONTAINER_ENGINE ?= docker

images: ## Build the control-plane image IMAGE (default turnpike/turnpike:dev) with CONTAINER_ENGINE
	@$(CONTAINER_ENGINE) build -f Dockerfile -t $(IMAGE) .

chart-sync: build ## Regenerate charts/turnpike/crds and the chart's Envoy bootstrap from crds/ and envoyBootstrap()
	@node -e "require('./e2e/dist/src/harness/chart.js').writeChartFiles()"

chart-lint: ## helm lint the chart with its default values and with the kind values
	@bash $(SETUP)/helm.sh
	@$(BIN)/helm lint --strict charts/turnpike
	@$(BIN)/helm lint --strict charts/turnpike -f hack/kind/values.yaml

kind-up: ## Create a kind cluster, build and load the image, helm install, apply and call the examples (needs docker, kind, kubectl)
	@bash hack/kind/up.sh

kind-down: ## Delete the kind cluster made by kind-up
	@kind delete cluster --name $${KIND_CLUSTER:-turnpike}

clean: cluster-down ## Remove build output (not the component cache)
	@rm -rf node_modules */dist sdk/js/dist *.tsbuildinfo
