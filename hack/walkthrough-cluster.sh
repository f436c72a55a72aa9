#!/usr/bin/env bash
# docs/getting-started.md §2, runnable as written: the kubectl path on local processes, from
# `make cluster-up` to `make cluster-down`. e2e/specs/kubectl-path runs this very file and checks
# what it prints. Environment overrides (all optional): TURNPIKE_STATE_DIR, TURNPIKE_HTTP_PORT,
# TURNPIKE_HTTPS_PORT, TURNPIKE_XDS_PORT, TURNPIKE_DEMO_BACKENDS (see docs/getting-started.md), and
# TURNPIKE_EXAMPLES: a copy of examples/ (the tests point its #port# variables at free ports).
set -euo pipefail
cd "$(dirname "$0")/.."
examples=${TURNPIKE_EXAMPLES:-examples}
port=${TURNPIKE_HTTP_PORT:-8080}
gw=http://demo.default.apigw.localhost:$port
trap 'echo "walk-through failed: make cluster-down" >&2; make --no-print-directory cluster-down' ERR

echo '## 1. make cluster-up'
make --no-print-directory cluster-up
export KUBECONFIG=${TURNPIKE_STATE_DIR:-$PWD/.turnpike}/kubeconfig
export PATH="${TURNPIKE_CACHE:-$HOME/.cache/turnpike}/bin:$PATH"   # kubectl from `make setup`

echo '## 2. kubectl apply -f examples/'
kubectl apply -f "$examples/"
# Programmed=True once every Envoy of the fleet (and ratelimit, for the ThrottlePolicy) ACKed.
kubectl wait --for=condition=Programmed --timeout=60s turnpike --all
kubectl get turnpike

echo '## 3. the calls of §1'
curl -sS "$gw/hello"; echo
curl -sS "$gw/users/42"; echo
curl -sS -H 'X-Stage: DEV' "$gw/users/42"; echo
curl -sS -i "$gw/nope"; echo
node operator/dist/cli.js call --credentials "$examples/20-app-demo-client.yaml" --connect "127.0.0.1:$port" \
  -H 'Content-Type: application/json' -d '{"item":"book"}' http://demo.default.apigw.localhost/orders; echo

echo '## 4. an edit, served within a second'
kubectl patch api hello --type merge -p '{"spec":{"backend":{"mock":{"body":"{\"message\":\"hello again\"}"}}}}'
timeout 1 bash -c "until curl -s '$gw/hello' | grep -q 'hello again'; do :; done"
curl -sS "$gw/hello"; echo

echo '## 5. make cluster-down'
make --no-print-directory cluster-down
