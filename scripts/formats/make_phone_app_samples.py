#!/usr/bin/env python3
"""Writes the sample files of the phone-app importers (issue 19, part B) under tests/formats/,
each folder with an EXPECTED.md whose codes this script computes with Python's hmac (RFC 4226
and 6238), independently of Tessera. The formats are described, with their sources, in
docs/formats/. Deterministic: secrets, salts and IVs come from SHA-256 of fixed labels, so a
second run writes the same bytes (the SQLite files carry the sqlite3 version that wrote them).

Needs Python 3 with sqlite3, the sqlite3 command (for SQLCipher's reserved bytes) and the
`cryptography` package (AES): scripts/formats/setup-venv.sh makes a venv with it.

    target/formats-venv/bin/python scripts/formats/make_phone_app_samples.py
"""

import base64
import hashlib
import hmac
import json
import os
import sqlite3
import struct
import subprocess
import tempfile
from xml.sax.saxutils import escape, quoteattr

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives import padding

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "formats")
# The time of every TOTP code in EXPECTED.md: 2023-11-14 22:13:20 UTC.
T = 1_700_000_000


def seeded(label, n):
    """n deterministic bytes named by label."""
    out = b""
    i = 0
    while len(out) < n:
        out += hashlib.sha256(f"{label}/{i}".encode()).digest()
        i += 1
    return out[:n]


def b32(secret):
    return base64.b32encode(secret).decode().rstrip("=")


def hotp(secret, counter, digits, algorithm="SHA1"):
    mac = hmac.new(secret, struct.pack(">Q", counter), getattr(hashlib, algorithm.lower())).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def totp(secret, digits, period=30, algorithm="SHA1"):
    return hotp(secret, T // period, digits, algorithm)


class Expected:
    """EXPECTED.md of one folder."""

    def __init__(self, folder, title, source):
        self.folder, self.title, self.source = folder, title, source
        self.entries, self.skipped, self.passwords = [], [], []

    def totp(self, file, issuer, name, secret, digits=6, period=30, algorithm="SHA1"):
        self.entries.append((file, issuer, name, "TOTP", digits, f"period {period}", algorithm,
                             totp(secret, digits, period, algorithm)))

    def hotp(self, file, issuer, name, secret, counter, digits=6, algorithm="SHA1"):
        self.entries.append((file, issuer, name, "HOTP", digits, f"counter {counter}", algorithm,
                             hotp(secret, counter, digits, algorithm)))

    def skip(self, file, label, reason):
        self.skipped.append((file, label, reason))

    def write(self):
        lines = [f"# {self.title}: expected contents", "",
                 f"Made by `scripts/formats/make_phone_app_samples.py` from {self.source}.",
                 f"Codes: TOTP at unix time {T}, HOTP at the stored counter, computed by the script",
                 "with Python's hmac (not by Tessera). Entries are listed in file order.", ""]
        if self.passwords:
            lines += ["## Passwords", "", "| file | password |", "|---|---|"]
            lines += [f"| {f} | {p} |" for f, p in self.passwords] + [""]
        lines += ["## Entries", "",
                  "| file | issuer | name | type | digits | period or counter | algorithm | code |",
                  "|---|---|---|---|---|---|---|---|"]
        lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in self.entries] + [""]
        lines += ["## Skipped", "", "| file | entry | reason contains |", "|---|---|---|"]
        lines += [f"| {f} | {label} | {reason} |" for f, label, reason in self.skipped] + [""]
        write(self.folder, "EXPECTED.md", "\n".join(lines).encode())


def write(folder, name, data):
    os.makedirs(os.path.join(ROOT, folder), exist_ok=True)
    with open(os.path.join(ROOT, folder, name), "wb") as f:
        f.write(data)


def prefs_xml(strings):
    """An Android SharedPreferences file of string preferences."""
    quotes = {'"': "&quot;"}
    body = "".join(f"    <string name={quoteattr(n)}>{escape(v, quotes)}</string>\n" for n, v in strings)
    return ("<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n"
            + body + "</map>\n").encode()


# -- Battle.net ----------------------------------------------------------------------------
BNET_MASK = bytes.fromhex(
    "398e27fc50276a656065b0e525f4c06c04c61075286b8e7aeda59da9813b5dd6c80d2fb38068773fa59ba47c17ca6c6479015c1d5b8b8f6b9a")


def bnet_mask(text):
    return bytes(b ^ m for b, m in zip(text.encode(), BNET_MASK)).hex()


def battle_net():
    e = Expected("battle-net", "Battle.net", "docs/formats/battle-net.md")
    secret, serial = seeded("battle.net/new", 20), "US-2311-0477-1950"
    write("battle-net", "com.blizzard.messenger.authenticator_preferences.xml", prefs_xml([
        ("com.blizzard.messenger.AUTHENTICATOR_SERIAL", bnet_mask(serial)),
        ("com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET", bnet_mask(secret.hex())),
        ("com.blizzard.messenger.AUTHENTICATOR_RESTORE_CODE", bnet_mask("7WQ3KZ9PAB")),
    ]))
    e.totp("com.blizzard.messenger.authenticator_preferences.xml", "Battle.net", serial, secret, 8)
    old_secret, old_serial = seeded("battle.net/old", 20), "EU-1208-3345-6612"
    write("battle-net", "com.blizzard.bma.AUTH_STORE.xml", prefs_xml([
        ("com.blizzard.bma.AUTH_STORE.HASH", bnet_mask(old_secret.hex() + old_serial)),
        ("com.blizzard.bma.AUTH_STORE.CLOCK_OFFSET", "0"),
    ]))
    e.totp("com.blizzard.bma.AUTH_STORE.xml", "Battle.net", old_serial, old_secret, 8)
    e.write()


# -- Duo -----------------------------------------------------------------------------------
def duo():
    e = Expected("duo", "Duo Mobile", "docs/formats/duo.md")
    hotp_secret, totp_secret = seeded("duo/hotp", 20), seeded("duo/totp", 20)
    accounts = [
        {"name": "Acme VPN", "akey": "DAKXXXXXXXXXXXXXXXXX", "pkey": "DPXXXXXXXXXXXXXXXXXX",
         "hostname": "api-1a2b3c4d.duosecurity.com", "accountType": "DUO",
         "otpGenerator": {"otpSecret": b32(hotp_secret), "counter": 7}},
        {"name": "Example Third Party", "accountType": "OTP",
         "otpGenerator": {"otpSecret": b32(totp_secret)}},
        {"name": "Push Only Co", "akey": "DAKYYYYYYYYYYYYYYYYY", "accountType": "DUO"},
    ]
    write("duo", "accounts.json", json.dumps(accounts, indent=2).encode())
    e.hotp("accounts.json", "", "Acme VPN", hotp_secret, 7)
    e.totp("accounts.json", "", "Example Third Party", totp_secret)
    e.skip("accounts.json", "account 3 (\"Push Only Co\")", "Duo Push")
    e.write()


# -- TOTP Authenticator ---------------------------------------------------------------------
def totp_authenticator():
    e = Expected("totp-authenticator", "TOTP Authenticator", "docs/formats/totp-authenticator.md")
    s16, s32, s64 = (seeded(f"totpauth/{b}", 20) for b in (16, 32, 64))
    entries = [
        {"issuer": "Gitea", "name": "mason@example.org", "key": s16.hex().upper(), "base": 16},
        {"issuer": "Nextcloud", "name": "james", "key": b32(s32), "base": 32},
        {"issuer": "Mastodon", "name": "elijah", "key": base64.b64encode(s64).decode(), "base": 64},
        {"issuer": "Octal", "name": "benjamin", "key": "1234567", "base": 8},
    ]
    listed = json.dumps([json.dumps(x) for x in entries])
    for file in ("backup.txt", "TOTP_Authenticator_Preferences.xml"):
        e.totp(file, "Gitea", "mason@example.org", s16)
        e.totp(file, "Nextcloud", "james", s32)
        e.totp(file, "Mastodon", "elijah", s64)
        e.skip(file, "entry 4 (\"Octal: benjamin\")", "base 8")
    password = "correct horse"
    plain = json.dumps({listed: "2023-11-14"}).encode()
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plain) + padder.finalize()
    key = hashlib.sha256(password.encode()).digest()
    enc = Cipher(algorithms.AES(key), modes.CBC(bytes(16))).encryptor()
    ciphertext = enc.update(padded) + enc.finalize()
    write("totp-authenticator", "backup.txt", base64.b64encode(ciphertext) + b"\n")
    e.passwords.append(("backup.txt", password))
    write("totp-authenticator", "TOTP_Authenticator_Preferences.xml", prefs_xml([
        ("STATIC_TOTP_CODES_LIST", listed), ("APP_THEME", "dark")]))
    e.write()


# -- FreeOTP+ tokens.xml --------------------------------------------------------------------
def signed(secret):
    return [b - 256 if b > 127 else b for b in secret]


def freeotp_plus_prefs():
    e = Expected("freeotp-plus-prefs", "FreeOTP+ tokens.xml", "docs/formats/freeotp-plus-prefs.md")
    a, b, c = (seeded(f"freeotp+/{i}", 20) for i in "abc")
    tokens = {
        "Deno:mason": {"algo": "SHA256", "counter": 0, "digits": 8, "issuerExt": "Deno", "label": "mason",
                       "period": 60, "secret": signed(a), "type": "TOTP"},
        "Issuu:james": {"algo": "SHA1", "counter": 12, "digits": 6, "issuerExt": "Issuu", "label": "james",
                        "period": 30, "secret": signed(b), "type": "HOTP"},
        "Old:md5": {"algo": "MD5", "counter": 0, "digits": 6, "issuerExt": "Old", "label": "md5",
                    "period": 30, "secret": signed(c), "type": "TOTP"},
    }
    order = ["Issuu:james", "Deno:mason", "Old:md5", "Gone:missing"]
    write("freeotp-plus-prefs", "tokens.xml", prefs_xml(
        [("tokenOrder", json.dumps(order))] + [(k, json.dumps(v)) for k, v in tokens.items()]))
    e.hotp("tokens.xml", "Issuu", "james", b, 12)
    e.totp("tokens.xml", "Deno", "mason", a, 8, 60, "SHA256")
    e.skip("tokens.xml", "token 3 (\"Old: md5\")", "MD5")
    e.skip("tokens.xml", "token 4 (\"Gone:missing\")", "no token of that id")
    e.write()


# -- SQLite databases -----------------------------------------------------------------------
GOOGLE_SCHEMA = ("CREATE TABLE accounts (_id INTEGER PRIMARY KEY, email TEXT NOT NULL, secret TEXT NOT NULL, "
                 "counter INTEGER DEFAULT 0, type INTEGER, provider INTEGER DEFAULT 0, issuer TEXT DEFAULT NULL, "
                 "original_name TEXT DEFAULT NULL)")


def sqlite_file(statements, reserve=0):
    """The bytes of a new database (1,024-byte pages) made by the sqlite3 command."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "db")
        script = "PRAGMA page_size=1024;\n"
        if reserve:
            script += f".filectrl reserve_bytes {reserve}\n"
        script += ";\n".join(statements) + ";\nVACUUM;\n"
        subprocess.run(["sqlite3", path], input=script.encode(), check=True, stdout=subprocess.DEVNULL)
        with open(path, "rb") as f:
            return f.read()


def sql(value):
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("'", "''") + "'"


def google_rows(prefix, e, file, many):
    """Rows of Google Authenticator's accounts table, with their expected entries."""
    rows = []
    s = [seeded(f"{prefix}/{i}", 20) for i in range(4)]
    rows.append(("mason@example.org", b32(s[0]), 0, 0, "Deno", "Deno:mason@example.org"))
    e.totp(file, "Deno", "mason@example.org", s[0])
    rows.append(("Issuu:james", b32(s[1]), 5, 1, None, None))
    e.hotp(file, "Issuu", "james", s[1], 5)
    rows.append(("elijah", b32(s[2]), 0, 7, None, "x" * 3000))
    e.skip(file, "account 3 (\"elijah\")", "type 7")
    for i in range(many):
        secret = seeded(f"{prefix}/many/{i}", 20)
        rows.append((f"user{i:02}@example.org", b32(secret), 0, 0, "Example", None))
        e.totp(file, "Example", f"user{i:02}@example.org", secret)
    return rows


def google_statements(rows):
    statements = ["CREATE TABLE android_metadata (locale TEXT)", "INSERT INTO android_metadata VALUES ('en_US')",
                  GOOGLE_SCHEMA]
    for email, secret, counter, kind, issuer, original in rows:
        statements.append("INSERT INTO accounts (email, secret, counter, type, issuer, original_name) VALUES ("
                          + ", ".join(sql(v) for v in (email, secret, counter, kind, issuer, original)) + ")")
    return statements


def google_db():
    e = Expected("google-authenticator-db", "Google Authenticator database",
                 "docs/formats/google-authenticator-db.md")
    rows = google_rows("google", e, "databases", 30)
    write("google-authenticator-db", "databases", sqlite_file(google_statements(rows)))
    e.write()


def microsoft_db():
    e = Expected("microsoft-authenticator-db", "Microsoft Authenticator database",
                 "docs/formats/microsoft-authenticator-db.md")
    totp_secret, msa_secret = seeded("microsoft/totp", 20), seeded("microsoft/msa", 20)
    schema = ("CREATE TABLE accounts (_id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, "
              "username TEXT NOT NULL, paws_url TEXT, oath_secret_key TEXT, account_type INTEGER NOT NULL, "
              "is_totp_code_shown INTEGER DEFAULT 0, ux_position INTEGER DEFAULT 0)")
    rows = [("GitHub", "mason", b32(totp_secret), 0), ("Microsoft", "james@outlook.com",
            base64.b64encode(msa_secret).decode(), 1), ("Contoso", "elijah@contoso.com", None, 2)]
    statements = [schema] + ["INSERT INTO accounts (name, username, oath_secret_key, account_type) VALUES ("
                             + ", ".join(sql(v) for v in row) + ")" for row in rows]
    write("microsoft-authenticator-db", "PhoneFactor", sqlite_file(statements))
    e.totp("PhoneFactor", "GitHub", "mason", totp_secret)
    e.totp("PhoneFactor", "Microsoft", "james@outlook.com", msa_secret, 8)
    e.skip("PhoneFactor", "account 3 (\"Contoso: elijah@contoso.com\")", "work or school")
    e.write()


# -- Authenticator Plus (SQLCipher 3) -------------------------------------------------------
def sqlcipher3(plain, password, label):
    """SQLCipher 3's default encryption of a database with 1,024-byte pages, 48 reserved."""
    page_size, reserve = 1024, 48
    assert plain[20] == reserve and len(plain) % page_size == 0
    salt = seeded(f"{label}/salt", 16)
    key = hashlib.pbkdf2_hmac("sha1", password.encode(), salt, 64000, 32)
    hmac_key = hashlib.pbkdf2_hmac("sha1", key, bytes(b ^ 0x3A for b in salt), 2, 32)
    out = b""
    for index in range(len(plain) // page_size):
        number = index + 1
        page = plain[index * page_size:(index + 1) * page_size]
        start = 16 if number == 1 else 0
        iv = seeded(f"{label}/iv/{number}", 16)
        enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
        ciphertext = enc.update(page[start:page_size - reserve]) + enc.finalize()
        tag = hmac.new(hmac_key, ciphertext + iv + struct.pack("<I", number), hashlib.sha1).digest()
        filler = seeded(f"{label}/pad/{number}", reserve - 16 - 20)
        out += (salt if number == 1 else b"") + ciphertext + iv + tag + filler
    return out


def authenticator_plus():
    e = Expected("authenticator-plus", "Authenticator Plus", "docs/formats/authenticator-plus.md")
    rows = google_rows("authplus", e, "authplus.db", 0)
    password = "master pass"
    plain = sqlite_file(google_statements(rows), reserve=48)
    write("authenticator-plus", "authplus.db", sqlcipher3(plain, password, "authplus"))
    e.passwords.append(("authplus.db", password))
    e.write()


if __name__ == "__main__":
    battle_net()
    duo()
    totp_authenticator()
    freeotp_plus_prefs()
    google_db()
    microsoft_db()
    authenticator_plus()
