"""Makes tests/formats/authy/: Authy's encrypted tokens as Authy's API gives them to its apps
(`authenticator_tokens`), each seed encrypted with the backup password, and Authy's Android token
store (`com.authy.storage.tokens.authenticator.xml`) holding tokens whose secret is still
encrypted (`encryptedSecret`) beside decrypted and native ones (docs/formats/authy.md)."""

import base64
import hashlib
import json
from xml.sax.saxutils import escape

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from otp_samples import b32, entry, fixed_bytes, sample_dir, write_expected

PASSWORD = "authy backup password"

ENTRIES = [
    entry("authy/1", "Google", "ada@example.org", length=10),
    entry("authy/2", "Dropbox", "grace", digits=7, length=20),
    entry("authy/3", "Cloudflare", "linus", digits=8, length=20),
]

ANDROID_FILE = "com.authy.storage.tokens.authenticator.xml"
NATIVE_FILE = "com.authy.storage.tokens.authy.xml"
# Authy's own accounts, in their own store: hex seeds, 7 digits, 10 seconds.
NATIVE = [entry("authy-native/1", "Authy", "SendGrid", digits=7, period=10, length=16)]
ANDROID = [
    entry("authy-android/1", "GitHub", "octocat", length=20),
    entry("authy-android/2", "Fastmail", "mason", digits=8, length=16),
    # An Authy-native token: a hex seed, 7 digits, 10 seconds.
    entry("authy-android/3", "Twilio", "ops", digits=7, period=10, length=16),
]


def encrypt_seed(label, seed, password, iterations, iv):
    """Authy's seal: PBKDF2-HMAC-SHA1 of the password and the salt text's UTF-8 bytes, 32
    bytes, then AES-256-CBC with PKCS#7 padding (the IV is 16 zero bytes when there is none)."""
    salt = base64.b32encode(fixed_bytes(f"{label}/salt", 20)).decode()[:32]
    key = hashlib.pbkdf2_hmac("sha1", password.encode(), salt.encode(), iterations, 32)
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv or bytes(16))).encryptor()
    ciphertext = encryptor.update(padder.update(seed.encode()) + padder.finalize()) + encryptor.finalize()
    return salt, base64.b64encode(ciphertext).decode()


def token(label, e, name, original_name, iterations, with_iv, password=PASSWORD):
    iv = fixed_bytes(f"{label}/iv", 16) if with_iv else None
    salt, seed = encrypt_seed(label, b32(e["secret"]).lower(), password, iterations or 1000, iv)
    return {"account_type": e["issuer"].lower(), "digits": e["digits"], "encrypted_seed": seed,
            "issuer": None, "logo": None, "name": name, "original_name": original_name,
            "password_timestamp": 1_650_000_000, "salt": salt,
            "unique_id": hashlib.sha256(label.encode()).hexdigest()[:10],
            "unique_iv": iv.hex() if iv else None, "key_derivation_iterations": iterations}


def android_tokens():
    """The token list of Authy's Android store: Aegis's AuthyImporter (EncryptedState.decrypt)
    opens `encryptedSecret` with 1,000 iterations and a zero IV; the others are plain."""
    github, fastmail, twilio = ANDROID
    salt, sealed = encrypt_seed("authy-android/1", b32(github["secret"]), PASSWORD, 1000, None)
    stray = entry("authy-android/4", "Gitlab", "other", length=20)
    old_salt, old_sealed = encrypt_seed("authy-android/4", b32(stray["secret"]),
                                        "an older password", 1000, None)
    return [
        {"accountType": "github", "digits": 6, "encryptedSecret": sealed, "salt": salt,
         "name": "GitHub: octocat", "originalName": "GitHub:octocat", "timestamp": 1_650_000_000},
        {"accountType": "fastmail", "digits": 8, "decryptedSecret": b32(fastmail["secret"]),
         "name": "Fastmail - mason", "originalName": "", "timestamp": 1_650_000_100},
        {"accountType": "authy", "digits": 7, "secretSeed": twilio["secret"].hex(),
         "name": "Twilio - ops", "originalName": "", "timestamp": 1_650_000_200},
        {"accountType": "gitlab", "digits": 6, "encryptedSecret": old_sealed, "salt": old_salt,
         "name": "Gitlab: other", "originalName": "Gitlab:other", "timestamp": 1_650_000_300},
    ]


def android_store(tokens, key="com.authy.storage.tokens.authenticator.key"):
    """A SharedPreferences file as Android writes it: the JSON list entity-escaped in one
    `<string>` named `key` (Aegis's AuthyImporter reads `<store name>.key` of both stores)."""
    text = escape(json.dumps(tokens, separators=(",", ":")), {'"': "&quot;"})
    return ("<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n"
            f'    <string name="{key}">{text}</string>\n'
            "</map>\n")


def main():
    out = sample_dir("authy")
    (out / ANDROID_FILE).write_text(android_store(android_tokens()))
    native = [{"accountType": "authy", "digits": 7, "secretSeed": e["secret"].hex(),
               "name": e["name"], "originalName": "", "timestamp": 1_650_000_400} for e in NATIVE]
    (out / NATIVE_FILE).write_text(android_store(native, "com.authy.storage.tokens.authy.key"))
    stray = entry("authy/4", "Twitch", "other", length=20)
    tokens = [
        # Older tokens: no IV (16 zero bytes) and no iteration count (1,000).
        token("authy/1", ENTRIES[0], "Google: ada@example.org", "Google:ada@example.org", None, False),
        token("authy/2", ENTRIES[1], "Dropbox - grace", "Dropbox:grace", 100_000, True),
        token("authy/3", ENTRIES[2], "linus", "Cloudflare:linus", 100_000, True),
        # Encrypted with an earlier backup password: it does not open with this one.
        token("authy/4", stray, "Twitch: other", "Twitch:other", 100_000, True, "an older password"),
    ]
    (out / "authenticator_tokens.json").write_text(
        json.dumps({"authenticator_tokens": tokens, "deleted": [], "message": "success",
                    "success": True}, indent=2) + "\n")
    f = "authenticator_tokens.json"
    write_expected(out, "Authy encrypted tokens and Android token store: expected contents",
                   "Made by `scripts/formats/make_authy.py` from the description of Authy's token "
                   "API and Android token store in docs/formats/authy.md.",
                   [(f, "AuthyEncrypted", PASSWORD), (ANDROID_FILE, "AuthyXml", PASSWORD),
                    (NATIVE_FILE, "AuthyXml", None)],
                   [(f, e) for e in ENTRIES] + [(ANDROID_FILE, e) for e in ANDROID]
                   + [(NATIVE_FILE, e) for e in NATIVE],
                   [(f, 'token 4 ("Twitch: other")', "its seed does not open with this password "
                     "(a wrong backup password, or a changed seed)"),
                    (ANDROID_FILE, 'token 4 ("Gitlab: other")', "its encryptedSecret does not open "
                     "with this password (a wrong backup password, or a changed secret)")])


if __name__ == "__main__":
    main()
