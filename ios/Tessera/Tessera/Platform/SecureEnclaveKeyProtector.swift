// The device key on iOS: a P-256 private key created inside the Secure Enclave, which never
// leaves it. The vault's PIN slot key is sealed to its public key with ECIES
// (SecKeyCreateEncryptedData: ephemeral ECDH, X9.63 KDF with SHA-256, AES-GCM) and opened only
// by the enclave, so a copied vault file cannot be guessed at away from this device.
//
// Platform keystore glue only: the core decides what to seal and when. A key that is gone (app
// data restored to another device, the keychain item deleted) is reported as `KeyInvalidated`,
// so the core offers the recovery key instead of failing. Never call back into
// the session from here: the session holds its lock while this runs.

import Foundation
import Security
import TesseraKit

/// Sendable as `KeyProtector` requires: its only state is an immutable tag.
final class SecureEnclaveKeyProtector: KeyProtector {
    private static var algorithm: SecKeyAlgorithm { .eciesEncryptionCofactorVariableIVX963SHA256AESGCM }
    private let tag: Data

    init(tag: String = "org.tessera.vault-key") {
        self.tag = Data(tag.utf8)
    }

    func wrap(plaintext: Data) throws -> Data {
        let key = try existingKey() ?? newKey()
        guard let publicKey = SecKeyCopyPublicKey(key) else {
            throw KeyProtectorError.Failed(reason: "the device key has no public key")
        }
        var error: Unmanaged<CFError>?
        guard let sealed = SecKeyCreateEncryptedData(publicKey, Self.algorithm, plaintext as CFData, &error)
        else {
            throw Self.failure("sealing", error)
        }
        return sealed as Data
    }

    func unwrap(wrapped: Data) throws -> Data {
        guard let key = try existingKey() else {
            throw KeyProtectorError.KeyInvalidated(reason: "the device key no longer exists")
        }
        var error: Unmanaged<CFError>?
        guard let opened = SecKeyCreateDecryptedData(key, Self.algorithm, wrapped as CFData, &error)
        else {
            let failure = error?.takeRetainedValue()
            // A locked device is passing; anything else means the vault was sealed by another key.
            if let failure, CFErrorGetCode(failure) == Int(errSecInteractionNotAllowed) {
                throw KeyProtectorError.Failed(reason: "the device is locked")
            }
            throw KeyProtectorError.KeyInvalidated(
                reason: "the vault was sealed by another device key (\(failure.map(CFErrorGetCode) ?? 0))")
        }
        return opened as Data
    }

    private func existingKey() throws -> SecKey? {
        let query: [CFString: Any] = [
            kSecClass: kSecClassKey,
            kSecAttrKeyClass: kSecAttrKeyClassPrivate,
            kSecAttrApplicationTag: tag,
            kSecReturnRef: true,
        ]
        var item: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &item)
        switch status {
        case errSecSuccess:
            // SecItemCopyMatching with kSecReturnRef on a key class returns a SecKey.
            return (item as! SecKey)
        case errSecItemNotFound:
            return nil
        default:
            throw KeyProtectorError.Failed(reason: "the keychain refused the lookup (\(status))")
        }
    }

    private func newKey() throws -> SecKey {
        var error: Unmanaged<CFError>?
        var privateAttributes: [CFString: Any] = [
            kSecAttrIsPermanent: true,
            kSecAttrApplicationTag: tag,
        ]
        var attributes: [CFString: Any] = [
            kSecAttrKeyType: kSecAttrKeyTypeECSECPrimeRandom,
            kSecAttrKeySizeInBits: 256,
        ]
        #if targetEnvironment(simulator)
            // Simulators have no Secure Enclave: there the key is an ordinary keychain key.
            privateAttributes[kSecAttrAccessible] = kSecAttrAccessibleWhenUnlockedThisDeviceOnly
        #else
            // Usable only while the device is unlocked, never copied to another device or a backup.
            guard
                let access = SecAccessControlCreateWithFlags(
                    nil, kSecAttrAccessibleWhenUnlockedThisDeviceOnly, .privateKeyUsage, &error)
            else {
                throw Self.failure("describing the key's access", error)
            }
            privateAttributes[kSecAttrAccessControl] = access
            attributes[kSecAttrTokenID] = kSecAttrTokenIDSecureEnclave
        #endif
        attributes[kSecPrivateKeyAttrs] = privateAttributes
        guard let key = SecKeyCreateRandomKey(attributes as CFDictionary, &error) else {
            throw Self.failure("creating the device key", error)
        }
        return key
    }

    /// The platform's reason as a code (its text may name the key's attributes, never a secret,
    /// but codes are what a bug report needs).
    private static func failure(_ doing: String, _ error: Unmanaged<CFError>?) -> KeyProtectorError {
        let code = error.map { CFErrorGetCode($0.takeRetainedValue()) } ?? 0
        return .Failed(reason: "\(doing) failed (\(code))")
    }
}
