#!/usr/bin/env python3
"""Draws Tessera's app icon: a 3 x 3 mosaic of tiles (tesserae) on a deep teal ground, the
middle tile holding a keyhole. Only the standard library: the PNG is written with zlib.

The App Store wants one 1024 x 1024 PNG without an alpha channel (iOS rounds the corners
itself), so the picture is full-bleed RGB. The output is the same, byte for byte, on every run.

usage: scripts/make-app-icon.py [OUT.png] [SIZE]
  default: ios/Tessera/Tessera/Assets.xcassets/AppIcon.appiconset/AppIcon-1024.png, 1024
"""

import math
import struct
import sys
import zlib
from pathlib import Path

DEFAULT_OUT = (
    Path(__file__).resolve().parent.parent
    / "ios/Tessera/Tessera/Assets.xcassets/AppIcon.appiconset/AppIcon-1024.png"
)

TOP, BOTTOM = (12, 61, 74), (7, 38, 48)  # the ground, a vertical gradient
# The tiles, row by row; the middle one carries the keyhole.
TILES = [
    (233, 196, 106), (42, 157, 143), (244, 162, 97),
    (42, 157, 143), (246, 241, 230), (231, 111, 81),
    (244, 162, 97), (233, 196, 106), (42, 157, 143),
]


def rounded_rect_distance(x, y, cx, cy, half, radius):
    """Signed distance from (x, y) to a rounded square centred on (cx, cy); < 0 inside."""
    qx = abs(x - cx) - half + radius
    qy = abs(y - cy) - half + radius
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    return outside + min(max(qx, qy), 0.0) - radius


def keyhole_distance(x, y, cx, cy, scale):
    """Signed distance to a keyhole (a circle over a tapering slot) centred on (cx, cy)."""
    circle = math.hypot(x - cx, y - (cy - 0.18 * scale)) - 0.24 * scale
    # The slot: a trapezoid from the circle's centre down, widening towards its foot.
    top, foot = cy - 0.18 * scale, cy + 0.40 * scale
    t = min(max((y - top) / (foot - top), 0.0), 1.0)
    half_width = (0.10 + 0.08 * t) * scale
    slot = max(abs(x - cx) - half_width, top - y, y - foot)
    return min(circle, slot)


def coverage(distance):
    """How much of a pixel a shape covers, from its distance (one pixel of anti-aliasing)."""
    return min(max(0.5 - distance, 0.0), 1.0)


def mix(a, b, amount):
    return tuple(round(p + (q - p) * amount) for p, q in zip(a, b))


def draw(size):
    margin, gap = 0.125 * size, 0.035 * size
    cell = (size - 2 * margin - 2 * gap) / 3
    half, radius = cell / 2, 0.16 * cell
    rows = []
    for py in range(size):
        y = py + 0.5
        ground = mix(TOP, BOTTOM, py / (size - 1))
        row = bytearray()
        for px in range(size):
            x = px + 0.5
            colour = ground
            column = int((x - margin) // (cell + gap))
            line = int((y - margin) // (cell + gap))
            if 0 <= column < 3 and 0 <= line < 3:
                cx = margin + column * (cell + gap) + half
                cy = margin + line * (cell + gap) + half
                tile = TILES[line * 3 + column]
                coloured = coverage(rounded_rect_distance(x, y, cx, cy, half, radius))
                if coloured > 0:
                    colour = mix(ground, tile, coloured)
                    if line == 1 and column == 1:
                        hole = coverage(keyhole_distance(x, y, cx, cy, cell * 0.62))
                        colour = mix(colour, BOTTOM, hole)
            row.extend(colour)
        rows.append(bytes(row))
    return rows


def png(rows, size):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB, no alpha
    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 on every row
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(png(draw(size), size))
    print(f"{out}: {size} x {size} RGB")


if __name__ == "__main__":
    main()
