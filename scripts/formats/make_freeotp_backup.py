"""Makes the encrypted FreeOTP 2 backups of tests/formats/freeotp/: the Java serialization of
the `tokenBackup` shared preferences (a HashMap of strings) that FreeOTP's TokenPersistence
writes, with the master key and secrets of its MasterKey and EncryptedKey
(docs/formats/freeotp.md). Also writes tests/formats/freeotp/EXPECTED.md with tokens.xml's
expectations from make_freeotp.py."""

import hashlib
import json
import struct

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

import make_freeotp
from otp_samples import entry, fixed_bytes, sample_dir, write_expected

PASSWORD = "freeotp backup password"
ITERATIONS = 100_000

ENTRIES = [
    entry("freeotp-backup/1", "GNOME", "ada", length=20),
    entry("freeotp-backup/2", "Fedora Accounts", "grace", digits=8, algorithm="SHA512", period=30, length=64),
    entry("freeotp-backup/3", "Yubico", "counter", kind="HOTP", digits=6, counter=3),
]


def signed(data):
    return [b - 256 if b > 127 else b for b in data]


def encrypted_key(label, key, plaintext, algorithm):
    """Gson's JSON of an EncryptedKey: AES-GCM with the key's algorithm as associated data."""
    nonce = fixed_bytes(label, 12)
    sealed = AESGCM(key).encrypt(nonce, plaintext, algorithm.encode())
    parameters = bytes([0x30, 0x11, 0x04, 0x0C]) + nonce + bytes([0x02, 0x01, 0x10])
    return {"mCipherText": signed(sealed), "mParameters": signed(parameters),
            "mCipher": "AES/GCM/NoPadding", "mToken": algorithm}


def java_string(text, out):
    data = text.encode()
    if len(data) > 0xFFFF:
        out += b"\x7c" + struct.pack(">Q", len(data)) + data
    else:
        out += b"\x74" + struct.pack(">H", len(data)) + data


def java_hashmap(pairs):
    """ObjectOutputStream.writeObject(HashMap<String, String>), per the Java Object
    Serialization Specification's grammar (chapter 6) and HashMap's writeObject."""
    out = bytearray(b"\xac\xed\x00\x05\x73\x72")
    out += struct.pack(">H", 17) + b"java.util.HashMap"
    out += bytes.fromhex("0507dac1c31660d1") + b"\x03" + struct.pack(">H", 2)
    out += b"F" + struct.pack(">H", 10) + b"loadFactor"
    out += b"I" + struct.pack(">H", 9) + b"threshold"
    out += b"\x78\x70"
    out += struct.pack(">fi", 0.75, 12)
    out += b"\x77\x08" + struct.pack(">ii", 16, len(pairs))
    for key, value in pairs:
        java_string(key, out)
        java_string(value, out)
    out += b"\x78"
    return bytes(out)


def token_fields(e):
    return {"issuerExt": e["issuer"], "issuerInt": e["issuer"], "label": e["name"],
            "type": e["type"], "algo": e["algorithm"], "digits": e["digits"],
            "period": e.get("period", 30), "counter": e.get("counter", 0)}


def backup(change_secret_of=None):
    salt = fixed_bytes("freeotp-backup/salt", 32)
    password_key = hashlib.pbkdf2_hmac("sha512", PASSWORD.encode(), salt, ITERATIONS, 32)
    master = fixed_bytes("freeotp-backup/master", 32)
    master_key = {"mEncryptedKey": encrypted_key("freeotp-backup/master/nonce", password_key, master, "AES"),
                  "mAlgorithm": "PBKDF2withHmacSHA512", "mIterations": ITERATIONS,
                  "mSalt": signed(salt)}
    pairs = [("masterKey", json.dumps(master_key, separators=(",", ":")))]
    for index, e in enumerate(ENTRIES):
        uuid = "%08x-0000-4000-8000-%012x" % (index + 1, index + 1)
        sealed = encrypted_key(f"freeotp-backup/{index}/nonce", master, e["secret"], "Hmac" + e["algorithm"])
        if index == change_secret_of:
            sealed["mCipherText"][0] = (sealed["mCipherText"][0] + 1 + 128) % 256 - 128
        pairs.append((uuid, json.dumps({"key": json.dumps(sealed, separators=(",", ":"))})))
        pairs.append((uuid + "-token", json.dumps(token_fields(e), separators=(",", ":"))))
    return java_hashmap(pairs)


def main():
    out = sample_dir("freeotp")
    (out / "externalBackup.xml").write_bytes(backup())
    (out / "externalBackup_changed.xml").write_bytes(backup(change_secret_of=1))
    files = [("externalBackup.xml", "FreeOtpBackup", PASSWORD),
             ("externalBackup_changed.xml", "FreeOtpBackup", PASSWORD)]
    entries = [("externalBackup.xml", e) for e in ENTRIES]
    entries += [("externalBackup_changed.xml", e) for i, e in enumerate(ENTRIES) if i != 1]
    skipped = [("externalBackup_changed.xml", 'token 2 ("Fedora Accounts: grace")',
                "its secret does not open with the backup's master key: the backup was changed")]
    xml_files, xml_entries, xml_skipped = make_freeotp.expectations()
    write_expected(out, "FreeOTP token files and backups: expected contents",
                   "Made by `scripts/formats/make_freeotp.py` (`tokens.xml`, the original app's "
                   "token store) and `scripts/formats/make_freeotp_backup.py` (FreeOTP 2's "
                   "encrypted external backups, Java-serialised) from FreeOTP's source (see "
                   "docs/formats/freeotp.md). `tokens.xml`'s entries are in `tokenOrder`'s "
                   "order. `externalBackup_changed.xml` has one byte of token 2's encrypted "
                   "secret changed.",
                   xml_files + files, xml_entries + entries, xml_skipped + skipped)


if __name__ == "__main__":
    main()
