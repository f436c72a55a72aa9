#!/usr/bin/env bash
# Redis from Debian; the package's own service is never used (tests start their own on loopback).
source "$(dirname "$0")/lib.sh"
# Look it up on PATH without $BIN: with $BIN on PATH (hack/walkthrough-cluster.sh puts kubectl
# there) `command -v` would find our own link and `ln -sf` would make it point at itself.
system_path=$(tr ':' '\n' <<<"$PATH" | grep -vxF "$BIN" | paste -sd: -)
find_redis() { PATH=$system_path command -v redis-server || true; }
if [ -z "$(find_redis)" ]; then
  step "redis-server (Debian)"
  export DEBIAN_FRONTEND=noninteractive
  run_logged redis apt-get update -qq
  run_logged redis apt-get install -y -qq --no-install-recommends redis-server
  # Debian may start a system instance; ours run on their own ports, so stop it if it did.
  (service redis-server stop || true) >/dev/null 2>&1
fi
ln -sfn "$(find_redis)" "$BIN/redis-server"
