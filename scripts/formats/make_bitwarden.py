"""Makes tests/formats/bitwarden/: password-protected Bitwarden JSON exports, with PBKDF2 and with
Argon2id, as Bitwarden's clients write them (docs/formats/bitwarden.md)."""

import base64
import hashlib
import hmac
import json

from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

from otp_samples import b32, entry, fixed_bytes, sample_dir, write_expected

PASSWORD = "bitwarden sample password"

GITHUB = entry("bitwarden/1", "GitHub", "octo")
FORGEJO = entry("bitwarden/2", "Forgejo", "dev@example.org", digits=8, algorithm="SHA256", period=60)
MASTODON = entry("bitwarden/3", None, "Mastodon")
STEAM = entry("bitwarden/4", "Steam", "Steam account", kind="Steam", digits=5)
ENTRIES = [GITHUB, FORGEJO, MASTODON, STEAM]


def login(name, totp):
    return {"id": hashlib.sha256(name.encode()).hexdigest()[:32], "organizationId": None,
            "folderId": None, "type": 1, "reprompt": 0, "name": name, "notes": None,
            "favorite": False, "login": {"uris": [], "username": "someone", "password": "pw",
                                         "totp": totp}, "collectionIds": None}


def export_json():
    items = [
        login("GitHub", f"otpauth://totp/GitHub:octo?secret={b32(GITHUB['secret'])}&issuer=GitHub"),
        login("Forgejo", f"otpauth://totp/Forgejo:dev%40example.org?secret={b32(FORGEJO['secret'])}"
                         "&issuer=Forgejo&algorithm=SHA256&digits=8&period=60"),
        login("Mastodon", b32(MASTODON["secret"])),
        login("Steam", "steam://" + b32(STEAM["secret"])),
        login("Bank", None),
        login("Broken", "not a secret!"),
    ]
    return json.dumps({"encrypted": False, "folders": [], "items": items}).encode()


def enc_string(enc_key, mac_key, label, plaintext):
    iv = fixed_bytes(label, 16)
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(enc_key), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(padder.update(plaintext) + padder.finalize()) + encryptor.finalize()
    mac = hmac.new(mac_key, iv + ciphertext, "sha256").digest()
    return "2." + "|".join(base64.b64encode(part).decode() for part in (iv, ciphertext, mac))


def stretch(key):
    def expand(info):
        return HKDFExpand(algorithm=hashes.SHA256(), length=32, info=info).derive(key)
    return expand(b"enc"), expand(b"mac")


def write(out, name, kdf, key, salt):
    enc_key, mac_key = stretch(key)
    file = {"encrypted": True, "passwordProtected": True, "salt": salt, **kdf,
            "encKeyValidation_DO_NOT_EDIT": enc_string(enc_key, mac_key, f"{name}/validation",
                                                       b"3f2504e0-4f89-41d3-9a0c-0305e82c3301"),
            "data": enc_string(enc_key, mac_key, f"{name}/data", export_json())}
    (out / name).write_text(json.dumps(file, indent=2) + "\n")


def main():
    out = sample_dir("bitwarden")
    salt = base64.b64encode(fixed_bytes("bitwarden/pbkdf2/salt", 16)).decode()
    key = hashlib.pbkdf2_hmac("sha256", PASSWORD.encode(), salt.encode(), 600_000, 32)
    write(out, "bitwarden_pbkdf2.json",
          {"kdfType": 0, "kdfIterations": 600_000, "kdfMemory": None, "kdfParallelism": None},
          key, salt)

    salt = base64.b64encode(fixed_bytes("bitwarden/argon2/salt", 16)).decode()
    key = Argon2id(salt=hashlib.sha256(salt.encode()).digest(), length=32, iterations=3, lanes=4,
                   memory_cost=64 * 1024).derive(PASSWORD.encode())
    write(out, "bitwarden_argon2id.json",
          {"kdfType": 1, "kdfIterations": 3, "kdfMemory": 64, "kdfParallelism": 4}, key, salt)

    files = [("bitwarden_pbkdf2.json", "BitwardenEncrypted", PASSWORD),
             ("bitwarden_argon2id.json", "BitwardenEncrypted", PASSWORD)]
    entries = [(f, e) for f, _, _ in files for e in ENTRIES]
    skipped = [(f, 'item 6 ("Broken")', "the secret is not valid base32: character 11 is not one of A-Z and 2-7")
               for f, _, _ in files]
    write_expected(out, "Password-protected Bitwarden exports: expected contents",
                   "Made by `scripts/formats/make_bitwarden.py` from Bitwarden's source (see "
                   "docs/formats/bitwarden.md). The item \"Bank\" has no TOTP field: it is a "
                   "login, not an OTP entry, and is neither imported nor skipped.",
                   files, entries, skipped)


if __name__ == "__main__":
    main()
