#!/usr/bin/env python3
"""Makes Tessera Desktop's Windows and macOS icons from the app icon that
scripts/make-app-icon.py draws, for jpackage's --icon on those platforms (the .deb takes the
PNG itself). Pillow writes both formats from one 1024 x 1024 drawing, scaling it down for each
size the systems ask for.

usage: desktop/packaging/make-icons.py OUT_FOLDER
  writes OUT_FOLDER/tessera-desktop.ico (16 to 256 px) and OUT_FOLDER/tessera-desktop.icns
  (16 to 1024 px)
"""

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

DRAWING = Path(__file__).resolve().parent.parent.parent / "scripts" / "make-app-icon.py"
NAME = "tessera-desktop"
# Explorer's list and tile views up to the 256 px "extra large icons".
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        png = Path(scratch) / "icon.png"
        subprocess.run([sys.executable, str(DRAWING), str(png), "1024"], check=True)
        with Image.open(png) as drawing:
            icon = drawing.convert("RGBA")
            icon.save(out / f"{NAME}.ico", sizes=ICO_SIZES)
            # Pillow's ICNS writer stores every size from 16 to 1024 px, each scaled from this one.
            icon.save(out / f"{NAME}.icns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
