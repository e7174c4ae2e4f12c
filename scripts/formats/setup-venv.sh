#!/bin/sh
# The Python the sample generators under scripts/formats/ need: a venv under target/ with the
# `cryptography` package, installed through pip as this machine's pip configuration sets it up.
# Idempotent: a venv that already imports cryptography is left as it is.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
venv="$root/target/formats-venv"
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import cryptography" 2>/dev/null; then
    exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet cryptography
