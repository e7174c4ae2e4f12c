"""Makes tests/formats/authy/: Authy's encrypted tokens as Authy's API gives them to its apps
(`authenticator_tokens`), each seed encrypted with the backup password (docs/formats/authy.md)."""

import base64
import hashlib
import json

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from otp_samples import b32, entry, fixed_bytes, sample_dir, write_expected

PASSWORD = "authy backup password"

ENTRIES = [
    entry("authy/1", "Google", "ada@example.org", length=10),
    entry("authy/2", "Dropbox", "grace", digits=7, length=20),
    entry("authy/3", "Cloudflare", "linus", digits=8, length=20),
]


def encrypt_seed(label, seed, password, iterations, iv):
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


def main():
    out = sample_dir("authy")
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
    write_expected(out, "Authy encrypted tokens: expected contents",
                   "Made by `scripts/formats/make_authy.py` from the description of Authy's token "
                   "API in docs/formats/authy.md.",
                   [(f, "AuthyEncrypted", PASSWORD)], [(f, e) for e in ENTRIES],
                   [(f, 'token 4 ("Twitch: other")', "its seed does not open with this password "
                     "(a wrong backup password, or a changed seed)")])


if __name__ == "__main__":
    main()
