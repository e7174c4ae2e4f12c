#!/usr/bin/env python3
"""Reads the scanning corpus with zxing-cpp, the reference reader of issue 17, and prints its
read count and time per frame per kind and per frame size. It also writes each frame's result to
FOLDER/zxing-cpp.tsv (file, read right 1 or 0, milliseconds), which the `qr_side_by_side` example
prints beside Tessera's own reads of the same frames (scripts/qr-side-by-side.sh runs all of it).

The corpus is the folder `cargo run -p tessera-core --release --example qr_corpus -- FOLDER`
writes. A frame counts as read when zxing-cpp returns its link (an activation or otpauth link
is preferred when a frame holds several codes, as Tessera does); a frame with no code counts
when nothing is read. Time is the median of ROUNDS reads of the decoded plane (the PNG is
loaded once), with zxing-cpp's defaults (it tries inverted and downscaled frames itself).

    scripts/qr-zxing-bench.py FOLDER [ROUNDS]
Run it with the python scripts/setup-qr-bench.sh prints.
"""

import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy
import zxingcpp
from PIL import Image

ACTIVATION = ("igmobileotp://", "otpauth://")


def chosen(results):
    texts = [result.text for result in results]
    for text in texts:
        if text.lower().startswith(ACTIVATION):
            return text
    return texts[0] if texts else None


def main():
    folder = Path(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    by_kind = defaultdict(lambda: [0, 0, []])
    by_size = defaultdict(lambda: [0, 0, []])
    missed, wrong = [], []
    frames = []
    for line in (folder / "expected.tsv").read_text().splitlines():
        name, kind, link = line.split("\t")
        plane = numpy.asarray(Image.open(folder / name).convert("L"))
        formats = zxingcpp.BarcodeFormat.QRCode
        read = chosen(zxingcpp.read_barcodes(plane, formats=formats))
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            zxingcpp.read_barcodes(plane, formats=formats)
            times.append(time.perf_counter() - start)
        right = read == (link or None)
        if not right:
            (missed if read is None else wrong).append(name)
        frames.append(f"{name}\t{int(right)}\t{1000 * statistics.median(times):.4f}\n")
        size = f"{plane.shape[1]}x{plane.shape[0]}"
        for table, key in ((by_kind, kind), (by_size, size)):
            table[key][0] += right
            table[key][1] += 1
            table[key][2].append(statistics.median(times))
    (folder / "zxing-cpp.tsv").write_text("".join(frames))
    print(f"zxing-cpp {zxingcpp.__version__ if hasattr(zxingcpp, '__version__') else ''}")
    for title, table in (("kind", by_kind), ("size", by_size)):
        print(f"{title:<16} {'read':>9} {'ms/frame':>9}")
        for key, (right, total, times) in table.items():
            print(f"{key:<16} {right:>4}/{total:<4} {1000 * statistics.mean(times):>9.3f}")
    print(f"missed: {missed}")
    print(f"wrong: {wrong}")


if __name__ == "__main__":
    main()
