# Shared helpers for hack/setup/*.sh. Sourced, never run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../../versions.env
source "$ROOT/versions.env"
CACHE="${TURNPIKE_CACHE:-$HOME/.cache/turnpike}"
BIN="$CACHE/bin"
mkdir -p "$BIN"

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# fail COMPONENT MESSAGE: stop with one line that names the component.
fail() { printf 'setup: %s: %s\n' "$1" "$2" >&2; exit 1; }

# have NAME VERSION: true when $BIN/NAME was built from VERSION (stamp file beside it).
have() { [ -x "$BIN/$1" ] && [ "$(cat "$BIN/.$1.version" 2>/dev/null)" = "$2" ]; }
stamp() { printf '%s' "$2" > "$BIN/.$1.version"; }

# run_logged COMPONENT CMD...: run a build step, keep its output in a log, show the tail on failure.
run_logged() {
  local component=$1; shift
  local log="$CACHE/logs/$component.log"
  mkdir -p "$CACHE/logs"
  if ! "$@" >>"$log" 2>&1; then
    tail -n 25 "$log" >&2
    fail "$component" "build failed (full log: $log)"
  fi
}
