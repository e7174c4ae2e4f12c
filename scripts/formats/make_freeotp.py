"""Makes tests/formats/freeotp/: the original FreeOTP's token store `tokens.xml`, Android shared
preferences with one JSON string per token and `tokenOrder` (docs/formats/freeotp.md).
EXPECTED.md is written by make_freeotp_backup.py, with the backups' rows."""

import json
from xml.sax.saxutils import escape, quoteattr

from otp_samples import entry, fixed_bytes, sample_dir

ENTRIES = [
    entry("freeotp/1", "Fedora", "ada", length=20),
    entry("freeotp/2", "Red Hat", "grace@example.org", digits=8, algorithm="SHA256", period=60),
    entry("freeotp/3", "Yubico", "hotp", kind="HOTP", counter=5),
]


def signed(secret):
    return [b - 256 if b > 127 else b for b in secret]


def as_token(e):
    return {"algo": e["algorithm"], "counter": e.get("counter", 0), "digits": e["digits"],
            "issuerExt": e["issuer"], "issuerInt": e["issuer"], "label": e["name"],
            "period": e.get("period", 30), "secret": signed(e["secret"]), "type": e["type"]}


def xml_text(value):
    return escape(json.dumps(value), {'"': "&quot;"})


def main():
    out = sample_dir("freeotp")
    tokens = [(f"{e['issuer']}:{e['name']}", as_token(e)) for e in ENTRIES]
    short = {"algo": "SHA1", "counter": 0, "digits": 6, "issuerExt": "Tiny", "label": "short",
             "period": 30, "secret": signed(fixed_bytes("freeotp/short", 5)), "type": "TOTP"}
    tokens.append(("Tiny:short", short))
    order = [name for name, _ in tokens]
    # The file lists tokens in the store's own (hash) order; tokenOrder gives the app's order.
    stored = [tokens[2], tokens[0], tokens[3], tokens[1]]
    lines = ["<?xml version='1.0' encoding='utf-8' standalone='yes' ?>", "<map>"]
    for name, token in stored:
        lines.append(f"    <string name={quoteattr(name)}>{xml_text(token)}</string>")
    lines.insert(2, f"    <string name=\"tokenOrder\">{xml_text(order)}</string>")
    lines.append("</map>")
    (out / "tokens.xml").write_text("\n".join(lines) + "\n")


def expectations():
    """tokens.xml's rows for EXPECTED.md, which make_freeotp_backup.py writes."""
    f = "tokens.xml"
    return ([(f, "FreeOtpXml", None)], [(f, e) for e in ENTRIES],
            [(f, 'token 4 ("Tiny: short")', "the secret is too short: 40 bits, at least 80 are needed")])


if __name__ == "__main__":
    main()
