#!/usr/bin/env python3
"""Writes Tessera's own PSKC sample files (tests/formats/pskc/tessera-*.xml) and EXPECTED.md.

Deterministic: every secret, IV and salt comes from SHA-256 of a fixed label, so running this
again gives the same bytes. The format follows RFC 6030 (docs/formats/pskc.md). Codes in
EXPECTED.md are computed here with Python's hmac (RFC 4226, RFC 6238, RFC 6287), not by
Tessera. The RFC 6030 figures (rfc6030-figure*.xml, copied from the RFC) are decrypted here to
check that they hold the secrets the RFC documents, and their expected codes are listed too.

Needs the `cryptography` package for AES-CBC (Python's standard library has no AES).

    python3 scripts/formats/make_pskc.py
"""

import base64
import hashlib
import hmac
import pathlib
import struct

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

OUT = pathlib.Path(__file__).resolve().parents[2] / "tests" / "formats" / "pskc"
#: The moment the TOTP codes in EXPECTED.md are for (2023-11-14T22:13:20Z).
AT = 1_700_000_000
#: The OCRA question the OCRA codes answer.
QUESTION = "00000000"

NS = 'xmlns="urn:ietf:params:xml:ns:keyprov:pskc" ' \
     'xmlns:ds="http://www.w3.org/2000/09/xmldsig#" ' \
     'xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"'
PBKDF2_NS = 'xmlns:xenc11="http://www.w3.org/2009/xmlenc11#" ' \
            'xmlns:pkcs5="http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#"'
HOTP = "urn:ietf:params:xml:ns:keyprov:pskc:hotp"
TOTP = "urn:ietf:params:xml:ns:keyprov:pskc:totp"
OCRA = "urn:ietf:params:xml:ns:keyprov:pskc#OCRA-1"
PIN = "urn:ietf:params:xml:ns:keyprov:pskc:pin"
HASHES = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}


def derived(label, length):
    """`length` fixed bytes named by `label`."""
    out = b""
    counter = 0
    while len(out) < length:
        out += hashlib.sha256(f"{label}/{counter}".encode()).digest()
        counter += 1
    return out[:length]


def truncate(mac, digits):
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10 ** digits).zfill(digits)


def hotp(secret, counter, digits, algorithm):
    mac = hmac.new(secret, struct.pack(">Q", counter), HASHES[algorithm]).digest()
    return truncate(mac, digits)


def totp(secret, period, digits, algorithm, at):
    return hotp(secret, at // period, digits, algorithm)


def ocra_qn(secret, suite, question):
    """RFC 6287 for suites `OCRA-1:HOTP-SHAx-d:QNxx` (a numeric question only)."""
    _, function, _ = suite.split(":")
    _, algorithm, digits = function.split("-")
    q = format(int(question), "x")
    q = bytes.fromhex((q + "0" * (256 - len(q))))
    mac = hmac.new(secret, suite.encode() + b"\0" + q, HASHES[algorithm]).digest()
    return truncate(mac, int(digits))


def encrypt(key, plaintext, label):
    """AES-CBC with PKCS #7 padding, the IV prefixed (RFC 6030 section 6.1)."""
    iv = derived("iv " + label, 16)
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plaintext) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return iv + encryptor.update(padded) + encryptor.finalize()


def decrypt(key, sealed):
    decryptor = Cipher(algorithms.AES(key), modes.CBC(sealed[:16])).decryptor()
    padded = decryptor.update(sealed[16:]) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return unpadder.update(padded) + unpadder.finalize()


def b64(data):
    return base64.b64encode(data).decode()


class Writer:
    """One sample file: its key packages and the expected rows."""

    def __init__(self, aes=None, mac=None):
        self.aes = aes  # (key, "aes128-cbc") or None for plain values
        self.mac = mac  # (key, "hmac-sha1") or None
        self.packages = []
        self.rows = []

    def value(self, raw, label, plain_text=None):
        if self.aes is None:
            return f"<PlainValue>{plain_text if plain_text is not None else b64(raw)}</PlainValue>"
        key, method = self.aes
        sealed = encrypt(key, raw, label)
        text = (f'<EncryptedValue><xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#{method}"/>'
                f"<xenc:CipherData><xenc:CipherValue>{b64(sealed)}</xenc:CipherValue></xenc:CipherData></EncryptedValue>")
        if self.mac is not None:
            mac_key, mac_method = self.mac
            digest = HASHES[mac_method.split("-")[1].upper()]
            text += f"<ValueMAC>{b64(hmac.new(mac_key, sealed, digest).digest())}</ValueMAC>"
        return text

    def package(self, label, algorithm, secret, *, serial=None, user=None, issuer=None,
                manufacturer=None, digits=None, encoding=None, suite=None, counter=None,
                period=None, policy=""):
        device = ""
        if serial or manufacturer:
            device = "<DeviceInfo>"
            if manufacturer:
                device += f"<Manufacturer>{manufacturer}</Manufacturer>"
            if serial:
                device += f"<SerialNo>{serial}</SerialNo>"
            device += "</DeviceInfo>"
        params = ""
        if suite or digits:
            params = "<AlgorithmParameters>"
            if suite:
                params += f"<Suite>{suite}</Suite>"
            if digits:
                params += f'<ResponseFormat Length="{digits}" Encoding="{encoding or "DECIMAL"}"/>'
            params += "</AlgorithmParameters>"
        data = f"<Secret>{self.value(secret, label + ' secret')}</Secret>"
        if counter is not None:
            data += "<Counter>" + self.value(struct.pack(">Q", counter).lstrip(b"\0") or b"\0",
                                             label + " counter", str(counter)) + "</Counter>"
        if period is not None:
            data += f"<TimeInterval><PlainValue>{period}</PlainValue></TimeInterval>"
        self.packages.append(
            f'<KeyPackage>{device}<Key Id="{label}" Algorithm="{algorithm}">'
            + (f"<Issuer>{issuer}</Issuer>" if issuer else "")
            + params + f"<Data>{data}</Data>"
            + (f"<UserId>{user}</UserId>" if user else "")
            + policy + "</Key></KeyPackage>")

    def container(self, encryption_key=""):
        header = encryption_key
        if self.mac is not None:
            mac_key, mac_method = self.mac
            key, method = self.aes
            sealed = encrypt(key, mac_key, "mac key")
            uri = ("http://www.w3.org/2000/09/xmldsig#" if mac_method == "hmac-sha1"
                   else "http://www.w3.org/2001/04/xmldsig-more#") + mac_method
            header += (f'<MACMethod Algorithm="{uri}"><MACKey>'
                       f'<xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#{method}"/>'
                       f"<xenc:CipherData><xenc:CipherValue>{b64(sealed)}</xenc:CipherValue></xenc:CipherData>"
                       "</MACKey></MACMethod>")
        body = "\n  ".join(self.packages)
        extra = PBKDF2_NS if "DerivedKey" in encryption_key else ""
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<KeyContainer Version="1.0" {NS} {extra}>\n  '
                + (header + "\n  " if header else "") + body + "\n</KeyContainer>\n")


def row(name, issuer, kind, digits, moving, algorithm, code):
    return f"| {name} | {issuer or '-'} | {kind} | {digits} | {moving} | {algorithm} | {code} |"


def skipped(label):
    return f"| skipped | {label} | | | | | |"


def expected_totp(name, issuer, secret, digits, period, algorithm):
    return row(name, issuer, "TOTP", digits, f"period {period}", algorithm,
               totp(secret, period, digits, algorithm, AT))


def expected_hotp(name, issuer, secret, digits, counter, algorithm):
    return row(name, issuer, "HOTP", digits, f"counter {counter}", algorithm,
               hotp(secret, counter, digits, algorithm))


def expected_ocra(name, issuer, secret, suite, counter):
    digits = suite.split(":")[1].split("-")[2]
    return row(name, issuer, "OCRA", digits, f"counter {counter}", suite,
               ocra_qn(secret, suite, QUESTION))


RFC_SECRET = b"12345678901234567890"


def plain_sample():
    w = Writer()
    s1 = derived("plain totp", 32)
    w.package("1", TOTP, s1, serial="TOTP0001", user="alice@example.org", issuer="Example Corp",
              digits=8, suite="HMAC-SHA256", period=60,
              policy="<Policy><ExpiryDate>2030-01-01T00:00:00Z</ExpiryDate></Policy>")
    w.rows.append(expected_totp("alice@example.org", "Example Corp", s1, 8, 60, "SHA256"))
    s2 = derived("plain hotp", 20)
    w.package("2", HOTP, s2, serial="HOTP0002", manufacturer="TokenVendor", digits=6, counter=42)
    w.rows.append(expected_hotp("HOTP0002", "TokenVendor", s2, 6, 42, "SHA1"))
    suite = "OCRA-1:HOTP-SHA1-6:QN08"
    w.package("3", OCRA, RFC_SECRET, user="bob", issuer="Example Corp", suite=suite)
    w.rows.append(expected_ocra("bob", "Example Corp", RFC_SECRET, suite, 0))
    w.package("4", PIN, b"1234", serial="PIN0004", issuer="Example Corp", digits=4)
    w.rows.append(skipped('key package 4 ("Example Corp: PIN0004")'))
    w.package("5", HOTP, derived("plain hex", 20), serial="HEX0005", issuer="Example Corp",
              digits=8, encoding="HEXADECIMAL")
    w.rows.append(skipped('key package 5 ("Example Corp: HEX0005")'))
    return w.container(), w.rows


PSK = bytes(range(32))


def psk_sample():
    w = Writer(aes=(PSK, "aes256-cbc"), mac=(derived("psk mac key", 32), "hmac-sha256"))
    s1 = derived("psk totp", 64)
    w.package("1", TOTP, s1, user="carol", issuer="Example Corp", digits=6, suite="HMAC-SHA512")
    w.rows.append(expected_totp("carol", "Example Corp", s1, 6, 30, "SHA512"))
    s2 = derived("psk hotp", 20)
    w.package("2", HOTP, s2, serial="HOTP0102", issuer="Example Corp", digits=7, counter=7)
    w.rows.append(expected_hotp("HOTP0102", "Example Corp", s2, 7, 7, "SHA1"))
    key = '<EncryptionKey><ds:KeyName>Tessera sample key</ds:KeyName></EncryptionKey>'
    return w.container(key), w.rows


PASSWORD = "correct horse battery staple"


def password_sample(iterations):
    salt = derived("pbkdf2 salt", 16)
    key = hashlib.pbkdf2_hmac("sha256", PASSWORD.encode(), salt, min(iterations, 4096), 16)
    w = Writer(aes=(key, "aes128-cbc"), mac=(derived("password mac key", 20), "hmac-sha1"))
    s1 = derived("password hotp", 20)
    w.package("1", HOTP, s1, serial="987654321", user="dave", manufacturer="TokenVendorAcme",
              digits=8, counter=3)
    w.rows.append(expected_hotp("dave", "TokenVendorAcme", s1, 8, 3, "SHA1"))
    derived_key = (
        "<EncryptionKey><xenc11:DerivedKey><xenc11:KeyDerivationMethod "
        'Algorithm="http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#pbkdf2">'
        f"<pkcs5:PBKDF2-params><Salt><Specified>{b64(salt)}</Specified></Salt>"
        f"<IterationCount>{iterations}</IterationCount><KeyLength>16</KeyLength>"
        '<PRF Algorithm="http://www.w3.org/2001/04/xmldsig-more#hmac-sha256"/>'
        "</pkcs5:PBKDF2-params></xenc11:KeyDerivationMethod>"
        "<xenc11:MasterKeyName>Tessera sample password</xenc11:MasterKeyName>"
        "</xenc11:DerivedKey></EncryptionKey>")
    return w.container(derived_key), w.rows


def check_rfc_figures():
    """Figures 6 and 7 decrypt, with the RFC's documented keys, to the RFC's secret."""
    import re
    def cipher_values(name):
        text = (OUT / name).read_text()
        return [base64.b64decode(v) for v in re.findall(r"<(?:\w+:)?CipherValue>\s*([^<\s]+)\s*<", text)]
    psk = bytes.fromhex("12345678901234567890123456789012")
    mac_key, secret = cipher_values("rfc6030-figure6.xml")
    assert decrypt(psk, mac_key) == bytes.fromhex("1122334455667788990011223344556677889900")
    assert decrypt(psk, secret) == RFC_SECRET
    key = hashlib.pbkdf2_hmac("sha1", b"qwerty", base64.b64decode("Ej7/PEpyEpw="), 1000, 16)
    assert key == bytes.fromhex("651e63cd57008476af1ff6422cd02e41")
    mac_key, secret = cipher_values("rfc6030-figure7.xml")
    assert decrypt(key, secret) == RFC_SECRET
    decrypt(key, mac_key)


def rfc_rows():
    """The RFC's figures: HOTP, SHA1, counter 0, the secret "12345678901234567890"."""
    def h(name, issuer, digits):
        return expected_hotp(name, issuer, RFC_SECRET, digits, 0, "SHA1")
    return {
        "rfc6030-figure2.xml": ("", [skipped('key package 1 ("Issuer-A")')]),
        "rfc6030-figure3.xml": ("", [h("UID=jsmith,DC=example-bank,DC=net", "Issuer", 8)]),
        "rfc6030-figure4.xml": ("", [skipped('key package 1 ("Issuer: 987654321")')]),
        "rfc6030-figure5.xml": ("", [h("987654321", "Issuer", 8),
                                     skipped('key package 2 ("Issuer: 987654321")')]),
        "rfc6030-figure6.xml": ("pre-shared key: `12345678901234567890123456789012`",
                                [h("987654321", "Issuer", 8)]),
        "rfc6030-figure7.xml": ("password: `qwerty`", [h("987654321", "Example-Issuer", 8)]),
        "rfc6030-figure8.xml": ("refused: encrypted to a certificate", []),
        "rfc6030-figure9.xml": ("", [h("0755225266", "Example-Issuer", 6)]),
        "rfc6030-figure10.xml": ("", [h(serial, "Issuer", 8)
                                      for serial in ["654321", "123456", "9999999", "9999999"]]),
    }


def main():
    check_rfc_figures()
    files = {}
    text, rows = plain_sample()
    (OUT / "tessera-plain.xml").write_text(text)
    files["tessera-plain.xml"] = ("", rows)
    text, rows = psk_sample()
    (OUT / "tessera-psk.xml").write_text(text)
    files["tessera-psk.xml"] = (f"pre-shared key: `{PSK.hex()}`", rows)
    text, rows = password_sample(4096)
    (OUT / "tessera-password.xml").write_text(text)
    files["tessera-password.xml"] = (f"password: `{PASSWORD}`", rows)
    text, _ = password_sample(2_000_001)
    (OUT / "tessera-password-costly.xml").write_text(text)
    files["tessera-password-costly.xml"] = (
        f"password: `{PASSWORD}`; refused: PBKDF2 IterationCount 2000001 is over the bound", [])
    files.update(rfc_rows())

    lines = [
        "# PSKC samples: expected contents",
        "",
        "Written by `scripts/formats/make_pskc.py`, which also computes every code below with Python's",
        f"`hmac` (not with Tessera). TOTP codes are at Unix time {AT}; HOTP codes at the listed counter;",
        f"OCRA codes answer the numeric question `{QUESTION}`. `rfc6030-figure*.xml` are RFC 6030's",
        "figures (see docs/formats/pskc.md); their secret is the RFC's \"12345678901234567890\".",
        "",
        "Rows are in file order; a `skipped` row names a key package that must be skipped with a reason.",
        "",
    ]
    for name, (note, rows) in files.items():
        lines += [f"## {name}", ""]
        if note:
            lines += [note, ""]
        if rows:
            lines += ["| name | issuer | type | digits | period/counter | algorithm | code |",
                      "|---|---|---|---|---|---|---|", *rows]
        lines.append("")
    (OUT / "EXPECTED.md").write_text("\n".join(lines))


if __name__ == "__main__":
    main()
