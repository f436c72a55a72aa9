#!/usr/bin/env bash
# envoyproxy/ratelimit at a pinned commit (its semver tags predate xDS config support).
source "$(dirname "$0")/lib.sh"
have ratelimit "$RATELIMIT_VERSION" && exit 0
step "envoyproxy/ratelimit $RATELIMIT_VERSION (Go module proxy)"
gobin=$(mktemp -d); trap 'rm -rf "$gobin"' EXIT
CGO_ENABLED=0 GOBIN="$gobin" run_logged ratelimit \
  go install -trimpath "github.com/envoyproxy/ratelimit/src/service_cmd@$RATELIMIT_VERSION"
mv "$gobin/service_cmd" "$BIN/ratelimit"
stamp ratelimit "$RATELIMIT_VERSION"
