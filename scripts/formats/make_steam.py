"""Makes tests/formats/steam/: Steam Desktop Authenticator account files (.maFile), the JSON
of Steam's AddAuthenticator response that SDA saves, and zips of SDA's maFiles folder, plain
and encrypted with SDA's FileEncryptor (docs/formats/steam.md)."""

import base64
import hashlib
import json
import zipfile

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from otp_samples import entry, fixed_bytes, sample_dir, write_expected

PASSWORD = "sda encryption key"
ACCOUNT = entry("steam/1", "Steam", "gaben_sample", kind="Steam", digits=5)
SECOND = entry("steam/2", "Steam", "second_sample", kind="Steam", digits=5)
STEAM_IDS = {"gaben_sample": 76561197960287930, "second_sample": 76561197960287931}


def mafile(account):
    b64 = lambda label: base64.b64encode(fixed_bytes(f"{account['name']}/{label}", 20)).decode()
    steam_id = STEAM_IDS[account["name"]]
    return json.dumps({
        "shared_secret": base64.b64encode(account["secret"]).decode(),
        "serial_number": "1234567890123456789",
        "revocation_code": "R12345",
        "uri": f"otpauth://totp/Steam:{account['name']}?secret=XXXXXXXX&issuer=Steam",
        "server_time": 1_700_000_000,
        "account_name": account["name"],
        "token_gid": "2a1b3c4d5e6f7a8b",
        "identity_secret": b64("identity"),
        "secret_1": b64("secret_1"),
        "status": 1,
        "device_id": "android:0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
        "fully_enrolled": True,
        "Session": {"SessionID": "0", "SteamLogin": "", "SteamLoginSecure": "",
                    "WebCookie": None, "OAuthToken": "", "SteamID": steam_id},
    })


def encrypt(text, salt, iv):
    """SDA's FileEncryptor.EncryptData: PBKDF2-HMAC-SHA1 (50,000) and AES-256-CBC, base64."""
    key = hashlib.pbkdf2_hmac("sha1", PASSWORD.encode(), salt, 50_000, 32)
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    data = encryptor.update(padder.update(text.encode()) + padder.finalize()) + encryptor.finalize()
    return base64.b64encode(data).decode()


def folder_zip(path, encrypted):
    entries = []
    files = {}
    for account in (ACCOUNT, SECOND):
        steam_id = STEAM_IDS[account["name"]]
        name = f"{steam_id}.maFile"
        salt = fixed_bytes(f"steam/{steam_id}/salt", 8)
        iv = fixed_bytes(f"steam/{steam_id}/iv", 16)
        files[name] = encrypt(mafile(account), salt, iv) if encrypted else mafile(account)
        entries.append({"encryption_iv": base64.b64encode(iv).decode() if encrypted else None,
                        "encryption_salt": base64.b64encode(salt).decode() if encrypted else None,
                        "filename": name, "steamid": steam_id})
    manifest = {"encrypted": encrypted, "first_run": False, "entries": entries,
                "periodic_checking": False, "periodic_checking_interval": 5,
                "periodic_checking_checkall": False, "auto_confirm_market_transactions": False,
                "auto_confirm_trades": False}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in [("manifest.json", json.dumps(manifest))] + sorted(files.items()):
            info = zipfile.ZipInfo(f"maFiles/{name}", date_time=(2023, 11, 14, 22, 13, 20))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)


def main():
    out = sample_dir("steam")
    name = "76561197960287930.maFile"
    (out / name).write_text(mafile(ACCOUNT))
    folder_zip(out / "maFiles_plain.zip", False)
    folder_zip(out / "maFiles_encrypted.zip", True)
    files = [(name, "SteamMaFile", None), ("maFiles_plain.zip", "SteamMaFolder", None),
             ("maFiles_encrypted.zip", "SteamMaFolder", PASSWORD)]
    entries = [(name, ACCOUNT)]
    entries += [(f, a) for f in ("maFiles_plain.zip", "maFiles_encrypted.zip") for a in (ACCOUNT, SECOND)]
    write_expected(out, "Steam Desktop Authenticator files: expected contents",
                   "Made by `scripts/formats/make_steam.py` from SDA's and SteamAuth's source "
                   "(see docs/formats/steam.md). The `uri` field's secret is a placeholder, as "
                   "the code comes from `shared_secret`. The zips hold SDA's `maFiles` folder; "
                   "the encrypted one's password is SDA's encryption key.",
                   files, entries, [])


if __name__ == "__main__":
    main()
