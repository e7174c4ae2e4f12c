"""Makes tests/formats/steam/: a Steam Desktop Authenticator account file (.maFile), the JSON
of Steam's AddAuthenticator response that SDA saves (docs/formats/steam.md)."""

import base64
import json

from otp_samples import entry, fixed_bytes, sample_dir, write_expected

ACCOUNT = entry("steam/1", "Steam", "gaben_sample", kind="Steam", digits=5)


def main():
    out = sample_dir("steam")
    b64 = lambda label: base64.b64encode(fixed_bytes(label, 20)).decode()
    mafile = {
        "shared_secret": base64.b64encode(ACCOUNT["secret"]).decode(),
        "serial_number": "1234567890123456789",
        "revocation_code": "R12345",
        "uri": "otpauth://totp/Steam:gaben_sample?secret=XXXXXXXX&issuer=Steam",
        "server_time": 1_700_000_000,
        "account_name": "gaben_sample",
        "token_gid": "2a1b3c4d5e6f7a8b",
        "identity_secret": b64("steam/identity"),
        "secret_1": b64("steam/secret_1"),
        "status": 1,
        "device_id": "android:0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
        "fully_enrolled": True,
        "Session": {"SessionID": "0", "SteamLogin": "", "SteamLoginSecure": "",
                    "WebCookie": None, "OAuthToken": "", "SteamID": 76561197960287930},
    }
    name = "76561197960287930.maFile"
    (out / name).write_text(json.dumps(mafile))
    write_expected(out, "Steam Desktop Authenticator maFile: expected contents",
                   "Made by `scripts/formats/make_steam.py` from SDA's and SteamAuth's source "
                   "(see docs/formats/steam.md). The `uri` field's secret is a placeholder, as "
                   "the code comes from `shared_secret`.",
                   [(name, "SteamMaFile", None)], [(name, ACCOUNT)], [])


if __name__ == "__main__":
    main()
