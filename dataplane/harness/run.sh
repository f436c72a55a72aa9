#!/usr/bin/env bash
# Builds the filter (hack/setup/authn.sh) and runs the manual harness against the real Envoy:
# behaviour (check.py), then cost (bench.py, skipped without wrk). Arguments go to bench.py.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/../../hack/setup/authn.sh"
python3 "$here/check.py"
if command -v wrk >/dev/null; then
  python3 "$here/bench.py" "$@"
else
  echo "bench.py skipped: wrk is not installed (apt-get install -y wrk)"
fi
