#!/usr/bin/env bash
# etcd, built from the Go module proxy (server/v3 has replace lines, so go install cannot).
source "$(dirname "$0")/lib.sh"
have etcd "$ETCD_VERSION" && exit 0
step "etcd $ETCD_VERSION (Go module proxy)"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
run_logged etcd go mod init local/etcdbuild
run_logged etcd go get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION"
CGO_ENABLED=0 run_logged etcd go build -trimpath -o "$BIN/etcd" go.etcd.io/etcd/server/v3
stamp etcd "$ETCD_VERSION"
