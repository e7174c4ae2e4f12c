"""Makes tests/formats/andotp/: encrypted andOTP backups of both generations, as andOTP's
BackupHelper and EncryptionHelper write them (docs/formats/andotp.md)."""

import hashlib
import json
import struct

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from otp_samples import b32, entry, fixed_bytes, sample_dir, write_expected

PASSWORD = "andotp sample password"
ITERATIONS = 150_000  # andOTP draws its count from 140,000..160,000

ENTRIES = [
    entry("andotp/1", "Deno", "mason@example.org"),
    entry("andotp/2", "SPDX", "james", digits=7, algorithm="SHA256", period=20),
    entry("andotp/3", "Airbnb", "elijah", digits=8, algorithm="SHA512", period=60, length=64),
    entry("andotp/4", "Issuu", "james", kind="HOTP", counter=7),
    entry("andotp/5", "Steam", "gabe", kind="Steam", digits=5),
]


def as_andotp(e):
    item = {"secret": b32(e["secret"]), "issuer": e["issuer"], "label": e["name"],
            "digits": e["digits"], "type": e["type"].upper(), "algorithm": e["algorithm"],
            "thumbnail": "Default", "last_used": 0, "used_frequency": 0, "tags": []}
    if e["type"] == "HOTP":
        item["counter"] = e["counter"]
    else:
        item["period"] = e["period"]
    return item


def plaintext():
    items = [as_andotp(e) for e in ENTRIES]
    # andOTP's mOTP entries, which Tessera cannot make codes for.
    items.append({"secret": "e3152afee62599c8", "issuer": "Motp", "label": "pin-user",
                  "digits": 6, "type": "MOTP", "algorithm": "MD5", "period": 10,
                  "pin": "1234", "thumbnail": "Default", "tags": []})
    return json.dumps(items).encode()


def main():
    out = sample_dir("andotp")
    nonce = fixed_bytes("andotp/old/nonce", 12)
    key = hashlib.sha256(PASSWORD.encode()).digest()
    (out / "otp_accounts_old.json.aes").write_bytes(nonce + AESGCM(key).encrypt(nonce, plaintext(), None))

    salt = fixed_bytes("andotp/new/salt", 12)
    nonce = fixed_bytes("andotp/new/nonce", 12)
    key = hashlib.pbkdf2_hmac("sha1", PASSWORD.encode(), salt, ITERATIONS, 32)
    sealed = AESGCM(key).encrypt(nonce, plaintext(), None)
    (out / "otp_accounts.json.aes").write_bytes(struct.pack(">I", ITERATIONS) + salt + nonce + sealed)

    files = [("otp_accounts.json.aes", "AndOtpEncrypted", PASSWORD),
             ("otp_accounts_old.json.aes", "AndOtpEncrypted (named)", PASSWORD)]
    entries = [(f, e) for f, _, _ in files for e in ENTRIES]
    skipped = [(f, 'entry 6 ("Motp: pin-user")',
                'its type "MOTP" is not one Tessera supports (TOTP, HOTP and Steam are)')
               for f, _, _ in files]
    write_expected(out, "Encrypted andOTP backups: expected contents",
                   "Made by `scripts/formats/make_andotp.py` from andOTP's source (see "
                   "docs/formats/andotp.md). `otp_accounts.json.aes` is the current generation "
                   f"(PBKDF2-HMAC-SHA1, {ITERATIONS} iterations); `otp_accounts_old.json.aes` the "
                   "old one (SHA-256 of the password), which has nothing to detect it by and is "
                   "imported with its format named.", files, entries, skipped)


if __name__ == "__main__":
    main()
