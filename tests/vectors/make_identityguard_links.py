#!/usr/bin/env python3
"""Independent generator of IdentityGuard fixtures for Tessera's Rust tests.

Written from ../shared/spec/identityguard.md alone (not from the Rust code), so that the Rust
implementation is checked against a second reading of the spec:

- igmobileotp:// activation links ("The activation QR code / link"): enc = salt || AES-128-CBC
  (PKCS#7) ciphertext; key material = PBKDF2-HMAC-SHA256(password, salt, 1000, 64) split into
  AES key (0..16), HMAC key (16..48), IV (48..64); mac = first 12 bytes of HMAC-SHA256 over the
  URI text after "?" up to the "&" that starts "mac=", still percent-encoded.
- the secret derivation ("Secret derivation", steps 1-4), with and without the policy;
- Tessera's own registration-code rule (documented in core/src/identityguard/mod.rs).

Every input is fixed, so the output is reproducible. Regenerate with:

    pip install cryptography
    python3 tests/vectors/make_identityguard_links.py > tests/vectors/identityguard.json

Each link has "uri" (as an issuer might send it, possibly with a vendor's quirks) and
"sealed_uri" (the exact text Tessera's seal_activation_link must produce from the same inputs:
compact JSON {"sn","ac"[,"policy"][,"regurl"]} with bare digits and unescaped "/", standard padded
base64, percent-encoded with urllib.parse.quote(value, safe="")).
"""

import base64
import hashlib
import hmac
import json
import sys
import urllib.parse

import cryptography
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

SPEC = "../shared/spec/identityguard.md"
SERIAL = "4824413456"
ACTIVATION = "1745771269428698"
REGISTRATION = "1221149352"
POLICY = '{"allowUnsecured":"false","trustedExecution":"NOT_ALLOWED"}'


# --- the link ------------------------------------------------------------------------------

def key_material(password, salt):
    km = hashlib.pbkdf2_hmac("sha256", password.encode("ascii"), salt, 1000, 64)
    return km[0:16], km[16:48], km[48:64]


def encrypt(password, salt, plaintext):
    aes_key, _, iv = key_material(password, salt)
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plaintext) + padder.finalize()
    encryptor = Cipher(algorithms.AES(aes_key), modes.CBC(iv)).encryptor()
    return salt + encryptor.update(padded) + encryptor.finalize()


def mac_of(password, salt, signed_text):
    _, hmac_key, _ = key_material(password, salt)
    return hmac.new(hmac_key, signed_text.encode("ascii"), hashlib.sha256).digest()[:12]


def b64_standard_quoted(data):
    return urllib.parse.quote(base64.b64encode(data).decode("ascii"), safe="")


def b64_standard_raw(data):
    return base64.b64encode(data).decode("ascii")


def b64_urlsafe_unpadded(data):
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def make_uri(password, salt, plaintext, encode, order=("action", "enc", "v")):
    enc = encode(encrypt(password, salt, plaintext))
    values = {"action": "secactivate", "enc": enc, "v": "1"}
    signed = "&".join(f"{name}={values[name]}" for name in order)
    mac = encode(mac_of(password, salt, signed))
    return f"igmobileotp://?{signed}&mac={mac}"


def canonical_plaintext(serial, activation, policy=None, regurl=None):
    """The plaintext Tessera's issuer writes: compact JSON, this key order, '/' unescaped."""
    payload = {"sn": serial, "ac": activation}
    if policy is not None:
        payload["policy"] = policy
    if regurl is not None:
        payload["regurl"] = regurl
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def link_case(name, description, password, salt, plaintext, encode, expected, order=None):
    canonical = canonical_plaintext(
        expected["serial"], expected["activation"], expected["policy"], expected["address"]
    )
    kwargs = {"order": order} if order else {}
    return {
        "name": name,
        "description": description,
        "password": password,
        "salt_hex": salt.hex(),
        "plaintext": plaintext.decode("utf-8"),
        "uri": make_uri(password, salt, plaintext, encode, **kwargs),
        "sealed_uri": make_uri(password, salt, canonical, b64_standard_quoted),
        "expected": expected,
    }


def links():
    cases = []

    # 1. Everything, as a vendor's Java issuer might write it: dashed codes, policy carried as a
    #    JSON string, regurl with "/" escaped as "\/".
    full = json.dumps(
        {
            "sn": "48244-13456",
            "ac": "1745-7712-6942-8698",
            "policy": POLICY,
            "regurl": "https://myid.example.edu/igst",
        },
        separators=(",", ":"),
    ).replace("/", "\\/")
    assert "\\/" in full
    cases.append(
        link_case(
            "full_escaped_slashes",
            "policy and regurl, '/' escaped as '\\/', dashed codes; standard base64, "
            "percent-encoded",
            "27182818",
            bytes.fromhex("0102030405060708"),
            full.encode("ascii"),
            b64_standard_quoted,
            {
                "serial": SERIAL,
                "activation": ACTIVATION,
                "policy": POLICY,
                "address": "https://myid.example.edu/igst",
                "name": "myid.example.edu",
            },
        )
    )

    # 2. The minimum: serial and activation code only, exactly as Tessera seals it.
    minimal_expected = {
        "serial": SERIAL,
        "activation": ACTIVATION,
        "policy": None,
        "address": None,
        "name": None,
    }
    cases.append(
        link_case(
            "minimal",
            "sn and ac only, in Tessera's own form (uri == sealed_uri)",
            "31415926",
            bytes.fromhex("a0b1c2d3e4f50617"),
            canonical_plaintext(SERIAL, ACTIVATION),
            b64_standard_quoted,
            minimal_expected,
        )
    )

    # 3. URL-safe base64 without padding, parameters in another order.
    cases.append(
        link_case(
            "urlsafe_unpadded_reordered",
            "regurl without scheme; URL-safe base64 without '=', not percent-encoded; "
            "parameters in the order v, enc, action",
            "00000042",
            bytes.fromhex("fffefdfcfbfaf9f8"),
            canonical_plaintext(SERIAL, ACTIVATION, None, "myid.example.edu/igst"),
            b64_urlsafe_unpadded,
            {
                "serial": SERIAL,
                "activation": ACTIVATION,
                "policy": None,
                "address": "myid.example.edu/igst",
                "name": "myid.example.edu",
            },
            order=("v", "enc", "action"),
        )
    )

    # 4. Standard base64 left raw (not percent-encoded), so the URI text contains a literal "+".
    #    The salt is the first of 0x00.., 0x01.., ... whose link has a "+" (deterministic).
    plaintext = canonical_plaintext(SERIAL, ACTIVATION, POLICY, None)
    for fill in range(256):
        salt = bytes([fill]) * 8
        if "+" in make_uri("87654321", salt, plaintext, b64_standard_raw):
            break
    cases.append(
        link_case(
            "raw_standard_with_plus",
            "standard base64 not percent-encoded: the text contains a literal '+', which a "
            "form decoder may turn into a space",
            "87654321",
            salt,
            plaintext,
            b64_standard_raw,
            {
                "serial": SERIAL,
                "activation": ACTIVATION,
                "policy": POLICY,
                "address": None,
                "name": None,
            },
        )
    )
    return cases


# --- the secret derivation -----------------------------------------------------------------

def derive_secret(serial, activation, registration, policy):
    activation_value = int(activation[:15]).to_bytes(7, "big")
    random_bytes = int(registration[:9]).to_bytes(4, "big")[2:]
    password = activation_value + random_bytes
    if policy is not None:
        password += policy.encode("utf-8")
    return hashlib.pbkdf2_hmac("sha256", password, serial.encode("ascii"), 8, 16)


def derivations():
    with_policy = derive_secret(SERIAL, ACTIVATION, REGISTRATION, POLICY).hex()
    # The spec prints this value; a mismatch here means this script misread the spec.
    assert with_policy == "bb9b6d72ae99b006de5e106935ec96da", with_policy
    return [
        {
            "name": "spec_vector_with_policy",
            "source": f"{SPEC}, section 'Secret derivation', 'Vector (public)'",
            "serial": "48244-13456",
            "activation": "1745-7712-6942-8698",
            "registration": "12211-49352",
            "policy": POLICY,
            "secret_hex": "bb9b6d72ae99b006de5e106935ec96da",
        },
        {
            "name": "spec_codes_without_policy",
            "source": f"computed by this script with hashlib.pbkdf2_hmac from {SPEC} steps 1-4",
            "serial": "48244-13456",
            "activation": "1745-7712-6942-8698",
            "registration": "12211-49352",
            "policy": None,
            "secret_hex": derive_secret(SERIAL, ACTIVATION, REGISTRATION, None).hex(),
        },
    ]


# --- Tessera's registration-code rule -------------------------------------------------------

def luhn_check_digit(digits):
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10


def registration_code(serial, random_bytes):
    digest = hashlib.sha256(b"tessera-registration-v1" + serial.encode("ascii") + random_bytes)
    check16 = int.from_bytes(digest.digest()[:2], "big") % 15258
    value = check16 * 65536 + int.from_bytes(random_bytes, "big")
    assert value < 10**9
    digits = f"{value:09d}"
    return digits + str(luhn_check_digit(digits))


def registrations():
    cases = []
    for serial in (SERIAL, "0000000000"):
        for random_hex in ("0000", "0001", "1234", "8000", "ffff"):
            cases.append(
                {
                    "serial": serial,
                    "random_hex": random_hex,
                    "code": registration_code(serial, bytes.fromhex(random_hex)),
                }
            )
    return cases


def main():
    document = {
        "source": f"{SPEC} (facts observed in public notes, not a vendor specification)",
        "generator": "tests/vectors/make_identityguard_links.py, Python "
        f"{sys.version_info.major}.{sys.version_info.minor}, cryptography {cryptography.__version__}",
        "notes": [
            "derivation: secret = PBKDF2-HMAC-SHA256(activation value (7 bytes BE) || registration "
            "random (2 bytes) [|| policy UTF-8], salt = serial's 10 ASCII digits, 8 iterations, 16 bytes)",
            "links: 'uri' is what an issuer might send; 'sealed_uri' is the exact text Tessera's "
            "seal_activation_link must produce from expected fields, password and salt",
            "registration_codes: Tessera's own rule (core/src/identityguard/mod.rs), not the vendor's; "
            "the spec's registration 12211-49352 does not satisfy it",
        ],
        "derivation": derivations(),
        "links": links(),
        "registration_codes": registrations(),
    }
    json.dump(document, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
