"""What the sample makers of scripts/formats share: deterministic bytes, the codes each entry
gives at a fixed time computed here with Python's hmac (independently of Tessera), and the
EXPECTED.md tables the tests in core/tests/transfer_samples.rs read.

Nothing is random: salts, IVs and secrets come from SHA-256 of a label, so running a maker
again writes the same files.
"""

import base64
import hashlib
import hmac
import struct
from pathlib import Path

# The time every expected code is computed at (2023-11-14 22:13:20 UTC).
CODE_TIME = 1_700_000_000
ROOT = Path(__file__).resolve().parents[2]
STEAM_ALPHABET = "23456789BCDFGHJKMNPQRTVWXY"


def fixed_bytes(label, length):
    """`length` bytes that depend only on `label`."""
    out = b""
    counter = 0
    while len(out) < length:
        out += hashlib.sha256(f"{label}/{counter}".encode()).digest()
        counter += 1
    return out[:length]


def b32(secret):
    return base64.b32encode(secret).decode().rstrip("=")


def _hmac_truncate(secret, counter, algorithm):
    digest = hmac.new(secret, struct.pack(">Q", counter), algorithm.lower()).digest()
    offset = digest[-1] & 0x0F
    return struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF


def code(entry):
    """The code of `entry` (a dict with type, secret, digits, algorithm, period/counter) at
    CODE_TIME for TOTP and Steam, at its counter for HOTP (RFC 4226 / 6238, Steam's alphabet).
    """
    kind = entry["type"]
    if kind == "HOTP":
        counter = entry["counter"]
    else:
        counter = CODE_TIME // entry.get("period", 30)
    if kind == "Steam":
        value = _hmac_truncate(entry["secret"], counter, "SHA1")
        chars = []
        for _ in range(5):
            chars.append(STEAM_ALPHABET[value % len(STEAM_ALPHABET)])
            value //= len(STEAM_ALPHABET)
        return "".join(chars)
    value = _hmac_truncate(entry["secret"], counter, entry["algorithm"])
    return str(value % 10 ** entry["digits"]).zfill(entry["digits"])


def write_expected(directory, title, intro, files, entries, skipped):
    """EXPECTED.md: the files with their format and password, each entry Tessera must import
    (in file order) with its code, and each entry it must skip with the reason."""
    lines = [f"# {title}", "", intro.strip(), "",
             f"Codes are at unix time {CODE_TIME} (TOTP and Steam) or at the entry's counter (HOTP),",
             "computed by the script with Python's hmac, not by Tessera.", "",
             "## Files", "", "| file | format | password |", "|---|---|---|"]
    for name, fmt, password in files:
        lines.append(f"| {name} | {fmt} | {password or '-'} |")
    lines += ["", "## Entries", "",
              "| file | issuer | name | type | digits | period or counter | algorithm | code |",
              "|---|---|---|---|---|---|---|---|"]
    for name, entry in entries:
        step = entry["counter"] if entry["type"] == "HOTP" else entry.get("period", 30)
        lines.append(
            f"| {name} | {entry['issuer'] or '-'} | {entry['name']} | {entry['type']} | "
            f"{entry['digits']} | {step} | {entry['algorithm']} | {code(entry)} |")
    lines += ["", "## Skipped", "", "| file | entry | reason |", "|---|---|---|"]
    for name, label, reason in skipped:
        lines.append(f"| {name} | {label} | {reason} |")
    (directory / "EXPECTED.md").write_text("\n".join(lines) + "\n")


def sample_dir(app):
    directory = ROOT / "tests" / "formats" / app
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def entry(label, issuer, name, kind="TOTP", digits=6, algorithm="SHA1", period=30, counter=0,
          length=20):
    """A sample entry with a secret made from `label`."""
    made = {"issuer": issuer, "name": name, "type": kind, "digits": digits,
            "algorithm": algorithm, "secret": fixed_bytes(f"secret/{label}", length)}
    if kind == "HOTP":
        made["counter"] = counter
    else:
        made["period"] = period
    return made
