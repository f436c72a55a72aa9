#!/usr/bin/env bash
# Redis from Debian; the package's own service is never used (tests start their own on loopback).
source "$(dirname "$0")/lib.sh"
if ! command -v redis-server >/dev/null; then
  step "redis-server (Debian)"
  export DEBIAN_FRONTEND=noninteractive
  run_logged redis apt-get update -qq
  run_logged redis apt-get install -y -qq --no-install-recommends redis-server
  # Debian may start a system instance; ours run on their own ports, so stop it if it did.
  (service redis-server stop || true) >/dev/null 2>&1
fi
ln -sf "$(command -v redis-server)" "$BIN/redis-server"
