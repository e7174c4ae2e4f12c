#!/usr/bin/env bash
# What `cargo xtask test` needs to run every fuzz target for a short while: a nightly toolchain
# (libFuzzer's instrumentation needs nightly flags) and cargo-fuzz. Idempotent: installs only
# what is missing, from the registries this machine's rustup and cargo are configured with.
set -euo pipefail

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi
