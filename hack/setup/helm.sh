#!/usr/bin/env bash
# helm v3 from the Go module proxy.
source "$(dirname "$0")/lib.sh"
have helm "$HELM_VERSION" && exit 0
step "helm $HELM_VERSION (Go module proxy)"
gobin=$(mktemp -d); trap 'rm -rf "$gobin"' EXIT
CGO_ENABLED=0 GOBIN="$gobin" run_logged helm go install -trimpath \
  -ldflags "-X helm.sh/helm/v3/internal/version.version=v$HELM_VERSION" \
  "helm.sh/helm/v3/cmd/helm@v$HELM_VERSION"
mv "$gobin/helm" "$BIN/helm"
stamp helm "$HELM_VERSION"
