#!/usr/bin/env bash
# The authn Wasm filter (dataplane/): built from source with the pinned Rust toolchain for
# wasm32-wasip1, copied to $BIN/turnpike-authn.wasm. Cargo runs every time (about a second when
# nothing changed) so that a source change is always picked up.
source "$(dirname "$0")/lib.sh"
step "authn filter (Rust $RUST_TOOLCHAIN, wasm32-wasip1)"
grep -qx "channel = \"$RUST_TOOLCHAIN\"" "$ROOT/dataplane/rust-toolchain.toml" \
  || fail authn "dataplane/rust-toolchain.toml does not pin RUST_TOOLCHAIN=$RUST_TOOLCHAIN of versions.env"
command -v rustup >/dev/null || fail authn "rustup is not installed (https://rustup.rs), needed for Rust $RUST_TOOLCHAIN"
# The target's library directory exists only once the target is installed for that toolchain.
libdir=$(rustup run "$RUST_TOOLCHAIN" rustc --print target-libdir --target wasm32-wasip1 2>/dev/null || true)
if [ -z "$libdir" ] || [ ! -d "$libdir" ]; then
  run_logged authn rustup toolchain install "$RUST_TOOLCHAIN" --profile minimal --target wasm32-wasip1
  run_logged authn rustup target add --toolchain "$RUST_TOOLCHAIN" wasm32-wasip1
fi
export CARGO_TARGET_DIR="$CACHE/cargo-target"
run_logged authn rustup run "$RUST_TOOLCHAIN" cargo build --locked --release --target wasm32-wasip1 \
  --manifest-path "$ROOT/dataplane/Cargo.toml" -p authn-filter
wasm="$CARGO_TARGET_DIR/wasm32-wasip1/release/authn_filter.wasm"
[ -s "$wasm" ] || fail authn "cargo built no $wasm"
# cp then mv: a running Envoy never reads a half-written module.
cp "$wasm" "$BIN/turnpike-authn.wasm.tmp" && mv -f "$BIN/turnpike-authn.wasm.tmp" "$BIN/turnpike-authn.wasm"
