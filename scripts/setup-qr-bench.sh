#!/usr/bin/env bash
# Installs the reference QR reader the scanning benchmark compares against: the zxing-cpp wheel
# (ZXing's C++ reader) with numpy and Pillow, in a virtual environment under the Cargo target
# folder, so nothing is installed system-wide. pip reads its package index from the machine's
# own configuration. Nothing is done when the environment already has them.
# Prints the environment's python on its last line.
set -euo pipefail

target=${CARGO_TARGET_DIR:-$(cd "$(dirname "$0")/.." && pwd)/target}
venv=$target/qr-bench-venv
python=$venv/bin/python

if [[ ! -x $python ]]; then
    python3 -m venv "$venv"
fi
if ! "$python" -c 'import zxingcpp, numpy, PIL' 2>/dev/null; then
    "$python" -m pip install --quiet zxing-cpp numpy Pillow
fi
"$python" -c 'import zxingcpp, numpy, PIL' >/dev/null
echo "$python"
