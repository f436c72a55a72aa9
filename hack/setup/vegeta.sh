#!/usr/bin/env bash
# vegeta, the open-loop HTTP load generator the benches pace with (bench/policies/paced.ts), from
# the Go module proxy. Benches only: `make setup` (the tests) does not need it.
source "$(dirname "$0")/lib.sh"
have vegeta "$VEGETA_VERSION" && exit 0
step "vegeta $VEGETA_VERSION (Go module proxy)"
gobin=$(mktemp -d); trap 'rm -rf "$gobin"' EXIT
CGO_ENABLED=0 GOBIN="$gobin" run_logged vegeta go install -trimpath "github.com/tsenart/vegeta/v12@v$VEGETA_VERSION"
mv "$gobin/vegeta" "$BIN/vegeta"
stamp vegeta "$VEGETA_VERSION"
