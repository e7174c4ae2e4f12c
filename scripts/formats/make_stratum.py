"""Makes tests/formats/stratum/: password-protected Stratum (Authenticator Pro) backups of the
three released generations: current (Argon2id + AES-256-GCM) and legacy (PBKDF2-HMAC-SHA1 +
AES-256-CBC), as Stratum's StrongBackupEncryption and LegacyBackupEncryption write them, and the
headerless backups of Authenticator Pro 1.12 and earlier (SHA-256 of the password, AES-256-CBC
with a zero IV, as its Backup.ToBytes wrote them through PCLCrypto) (docs/formats/stratum.md)."""

import hashlib
import json

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from otp_samples import b32, entry, fixed_bytes, sample_dir, write_expected

PASSWORD = "stratum sample password"
TYPES = {"HOTP": 1, "TOTP": 2, "Steam": 4}
ALGORITHMS = {"SHA1": 0, "SHA256": 1, "SHA512": 2}

ENTRIES = [
    entry("stratum/1", "Proton", "ada@example.org"),
    entry("stratum/2", "Kagi", "grace", digits=8, algorithm="SHA256", period=30),
    entry("stratum/3", "Codeberg", "linus", algorithm="SHA512", period=45, length=32),
    entry("stratum/4", "Yubi", "hotp-user", kind="HOTP", digits=7, counter=42),
    entry("stratum/5", "Steam", "gaben", kind="Steam", digits=5),
]


def plaintext():
    authenticators = []
    for e in ENTRIES:
        authenticators.append({
            "Type": TYPES[e["type"]], "Icon": None, "Issuer": e["issuer"], "Username": e["name"],
            "Secret": b32(e["secret"]), "Pin": None, "Algorithm": ALGORITHMS[e["algorithm"]],
            "Digits": e["digits"], "Period": e.get("period", 30), "Counter": e.get("counter", 0),
            "Ranking": 0, "CopyCount": 0})
    # Yandex (5) and mOTP (3) entries, which Tessera cannot make codes for.
    authenticators.append({"Type": 5, "Issuer": "Yandex", "Username": "ivan",
                           "Secret": b32(fixed_bytes("stratum/yandex", 16)), "Pin": "1234",
                           "Algorithm": 0, "Digits": 8, "Period": 30, "Counter": 0})
    authenticators.append({"Type": 3, "Issuer": "Motp", "Username": None,
                           "Secret": "e3152afee62599c8", "Pin": "1234",
                           "Algorithm": 0, "Digits": 6, "Period": 10, "Counter": 0})
    backup = {"Authenticators": authenticators, "Categories": [],
              "AuthenticatorCategories": [], "CustomIcons": [], "IconPacks": []}
    return json.dumps(backup).encode()


OLD_ENTRIES = [
    entry("stratum-old/1", "Fastmail", "ada@example.org"),
    entry("stratum-old/2", "Kagi", "grace", digits=8, algorithm="SHA256", period=60),
    entry("stratum-old/3", "Yubi", "hotp-user", kind="HOTP", digits=6, counter=7),
]


def old_plaintext():
    """The JSON of Authenticator Pro 1.12's Backup class: its Authenticator columns (Type 1 HOTP,
    2 TOTP, 3 mOTP; Algorithm 0 SHA-1, 1 SHA-256, 2 SHA-512), no Pin, no IconPacks."""
    authenticators = [{"Type": TYPES[e["type"]], "Icon": None, "Issuer": e["issuer"],
                       "Username": e["name"], "Secret": b32(e["secret"]),
                       "Algorithm": ALGORITHMS[e["algorithm"]], "Digits": e["digits"],
                       "Period": e.get("period", 30), "Counter": e.get("counter", 0),
                       "Ranking": index} for index, e in enumerate(OLD_ENTRIES)]
    authenticators.append({"Type": 3, "Icon": None, "Issuer": "Motp", "Username": None,
                           "Secret": "e3152afee62599c8", "Algorithm": 0, "Digits": 6,
                           "Period": 10, "Counter": 0, "Ranking": 3})
    backup = {"Authenticators": authenticators, "Categories": [], "AuthenticatorCategories": [],
              "CustomIcons": []}
    return json.dumps(backup).encode()


def cbc(key, iv, data):
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(padder.update(data) + padder.finalize()) + encryptor.finalize()


def main():
    out = sample_dir("stratum")
    salt = fixed_bytes("stratum/salt", 16)
    nonce = fixed_bytes("stratum/nonce", 12)
    key = Argon2id(salt=salt, length=32, iterations=3, lanes=4, memory_cost=65536).derive(PASSWORD.encode())
    sealed = AESGCM(key).encrypt(nonce, plaintext(), None)
    (out / "backup.authpro").write_bytes(b"AUTHENTICATORPRO" + salt + nonce + sealed)

    salt = fixed_bytes("stratum/legacy/salt", 20)
    iv = fixed_bytes("stratum/legacy/iv", 16)
    key = hashlib.pbkdf2_hmac("sha1", PASSWORD.encode(), salt, 64_000, 32)
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plaintext()) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(padded) + encryptor.finalize()
    (out / "backup_legacy.authpro").write_bytes(b"AuthenticatorPro" + salt + iv + ciphertext)

    key = hashlib.sha256(PASSWORD.encode()).digest()
    (out / "backup_1_12.authpro").write_bytes(cbc(key, bytes(16), old_plaintext()))

    files = [("backup.authpro", "StratumEncrypted", PASSWORD),
             ("backup_legacy.authpro", "StratumEncrypted", PASSWORD)]
    entries = [(f, e) for f, _, _ in files for e in ENTRIES]
    skipped = []
    for f, _, _ in files:
        skipped.append((f, 'entry 6 ("Yandex: ivan")', "Yandex entries are not supported by Tessera"))
        skipped.append((f, 'entry 7 ("Motp")', "mOTP entries are not supported by Tessera"))
    # No header: the file is recognised only when its format is named.
    files.append(("backup_1_12.authpro", "StratumEncrypted (named)", PASSWORD))
    entries += [("backup_1_12.authpro", e) for e in OLD_ENTRIES]
    skipped.append(("backup_1_12.authpro", 'entry 4 ("Motp")', "mOTP entries are not supported by Tessera"))
    write_expected(out, "Encrypted Stratum backups: expected contents",
                   "Made by `scripts/formats/make_stratum.py` from Stratum's source (see "
                   "docs/formats/stratum.md): `backup.authpro` is the current format, "
                   "`backup_legacy.authpro` the legacy one, `backup_1_12.authpro` the headerless "
                   "one of Authenticator Pro 1.12 and earlier.", files, entries, skipped)


if __name__ == "__main__":
    main()
