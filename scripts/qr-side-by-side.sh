#!/usr/bin/env bash
# Reads the scanning corpus with zxing-cpp and with Tessera, one after the other on this machine,
# and prints the side-by-side table docs/PERFORMANCE.md keeps (issue 17): frames read and time
# per frame, per kind and per frame size. ROUNDS reads of each frame, the median kept (default 10).
#
#     scripts/qr-side-by-side.sh [ROUNDS]
set -euo pipefail

cd "$(dirname "$0")/.."
rounds=${1:-10}
target=${CARGO_TARGET_DIR:-$PWD/target}
corpus=$target/qr-corpus

cargo run --quiet --release -p tessera-core --example qr_corpus -- "$corpus"
python=$(scripts/setup-qr-bench.sh | tail -n 1)
"$python" scripts/qr-zxing-bench.py "$corpus" "$rounds" >/dev/null
cargo run --quiet --release -p tessera-core --example qr_side_by_side -- "$corpus" "$rounds"
