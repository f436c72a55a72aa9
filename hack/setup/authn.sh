#!/usr/bin/env bash
# The authn module (dataplane/authn-module): Envoy's native HTTP filter for app authentication and
# backend signing, built from source with the pinned Rust toolchain and copied to
# $BIN/libturnpike_authn.so. Cargo runs every time (about a second when nothing changed) so that a
# source change is always picked up.
source "$(dirname "$0")/lib.sh"
step "authn module (Rust $RUST_TOOLCHAIN)"
grep -qx "channel = \"$RUST_TOOLCHAIN\"" "$ROOT/dataplane/rust-toolchain.toml" \
  || fail authn "dataplane/rust-toolchain.toml does not pin RUST_TOOLCHAIN=$RUST_TOOLCHAIN of versions.env"
command -v rustup >/dev/null || fail authn "rustup is not installed (https://rustup.rs), needed for Rust $RUST_TOOLCHAIN"
if ! rustup run "$RUST_TOOLCHAIN" cargo clippy --version >/dev/null 2>&1; then
  run_logged authn rustup toolchain install "$RUST_TOOLCHAIN" --profile minimal --component clippy,rustfmt
fi
export CARGO_TARGET_DIR="$CACHE/cargo-target"
run_logged authn rustup run "$RUST_TOOLCHAIN" cargo build --locked --release \
  --manifest-path "$ROOT/dataplane/Cargo.toml" -p authn-module
module="$CARGO_TARGET_DIR/release/libturnpike_authn.so"
[ -s "$module" ] || fail authn "cargo built no $module"
# cp then mv: a running Envoy keeps the file it loaded, a new one never reads a half-written one.
cp "$module" "$BIN/libturnpike_authn.so.tmp" && mv -f "$BIN/libturnpike_authn.so.tmp" "$BIN/libturnpike_authn.so"
