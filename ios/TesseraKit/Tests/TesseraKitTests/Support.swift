// Shared by the tests: the repository's vector files, temporary token folders, the fixed
// values of the seed scenario, a KeyProtector test double, and error assertions.

import Foundation
import TesseraKit
import XCTest

enum Fixture {
    static let pin = "4739"
    static let newPin = "8264"
    static let wrongPin = "0852"
    /// A fixed Unix time (2023-11-14T22:13:20Z) for time-based checks.
    static let time: UInt64 = 1_700_000_000
    static let serial = "48244-13456"
    static let activation = "1745-7712-6942-8698"
    static let address = "https://myid.example.edu/igst"
    /// A TOTP identity whose secret no vector uses ("TestSecretTestSecret").
    static let totpLink =
        "otpauth://totp/Tessera:fixture@example.com?secret=KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU&issuer=Tessera"
    /// A HOTP identity with another secret ("abcdefghijklmnopqrst"), counter 0.
    static let hotpLink =
        "otpauth://hotp/Tessera:counter?secret=MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U&issuer=Tessera&counter=0"

    /// tests/vectors: TESSERA_VECTORS (set by scripts/swift-test.sh), else found from this file.
    static var vectorsFolder: URL {
        if let path = ProcessInfo.processInfo.environment["TESSERA_VECTORS"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // TesseraKitTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // TesseraKit
            .deletingLastPathComponent()  // ios
            .deletingLastPathComponent()  // repository
            .appendingPathComponent("tests/vectors")
    }

    /// A vector file as parsed JSON.
    static func vectors(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: vectorsFolder.appendingPathComponent(name))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any], name)
    }

    static func cases(_ name: String, _ key: String = "cases") throws -> [[String: Any]] {
        try XCTUnwrap(try vectors(name)[key] as? [[String: Any]], "\(name): \(key)")
    }
}

/// A fresh folder for one token, removed when the test ends.
func temporaryFolder(_ test: XCTestCase) throws -> String {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("tessera-swift-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock {
        try? FileManager.default.removeItem(at: url)
    }
    return url.path
}

extension Dictionary where Key == String, Value == Any {
    func string(_ key: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try XCTUnwrap(self[key] as? String, "\(key) in \(self)", file: file, line: line)
    }

    func optionalString(_ key: String) -> String? {
        self[key] as? String
    }

    func int(_ key: String, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        try XCTUnwrap((self[key] as? NSNumber)?.intValue, "\(key) in \(self)", file: file, line: line)
    }

    func optionalUInt64(_ key: String) -> UInt64? {
        (self[key] as? NSNumber)?.uint64Value
    }
}

func hashAlgorithm(_ name: String) throws -> Algorithm {
    switch name {
    case "SHA1": return .sha1
    case "SHA256": return .sha256
    case "SHA512": return .sha512
    default: throw TestFailure.unknownAlgorithm(name)
    }
}

/// Runs `body`, which must throw a `TokenError`, and returns it.
@discardableResult
func tokenError<T>(
    _ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line
) throws -> TokenError {
    do {
        let value = try body()
        XCTFail("expected a TokenError, got \(value)", file: file, line: line)
        throw TestFailure.noError
    } catch let error as TokenError {
        return error
    }
}

/// The async variant of `tokenError`.
@discardableResult
func tokenError<T>(
    _ body: () async throws -> T, file: StaticString = #filePath, line: UInt = #line
) async throws -> TokenError {
    do {
        let value = try await body()
        XCTFail("expected a TokenError, got \(value)", file: file, line: line)
        throw TestFailure.noError
    } catch let error as TokenError {
        return error
    }
}

enum TestFailure: Error {
    case noError
    case unexpectedStep(FlowStep)
    case unknownAlgorithm(String)
}

/// The identity, recovery key and warnings of a `done` step.
func done(_ step: FlowStep, file: StaticString = #filePath, line: UInt = #line) throws
    -> (identity: IdentitySummary, recoveryKey: String?, warnings: [String])
{
    guard case let .done(identity, recoveryKey, warnings) = step else {
        XCTFail("expected done, got \(step)", file: file, line: line)
        throw TestFailure.unexpectedStep(step)
    }
    return (identity, recoveryKey, warnings)
}

/// A new token in `folder` holding one TOTP identity (from `Fixture.totpLink`), unlocked.
func tokenWithTotp(_ folder: String, protector: KeyProtector? = nil) throws
    -> (session: TokenSession, identity: IdentitySummary, recoveryKey: String)
{
    let session = try TokenSession(folder: folder, protector: protector)
    let flow = try session.addIdentity()
    XCTAssertEqual(try flow.enterLink(link: Fixture.totpLink), .needsPin)
    XCTAssertEqual(try flow.setPin(pin: Fixture.pin), .confirmPin)
    let (identity, recoveryKey, _) = try done(try flow.confirmPin(pin: Fixture.pin))
    return (session, identity, try XCTUnwrap(recoveryKey))
}

/// A KeyProtector double that really seals: each `wrap` XORs the plaintext with a fresh random
/// pad and prefixes a random 16-byte handle; only this instance knows the pads, so anything it
/// did not produce (another instance's output, a changed byte) fails to unwrap. Counts calls.
final class TestKeyProtector: KeyProtector, @unchecked Sendable {
    private struct Sealed {
        let pad: [UInt8]
        let ciphertext: [UInt8]
    }

    private let lock = NSLock()
    private var sealed: [Data: Sealed] = [:]
    private(set) var wraps = 0
    private(set) var unwraps = 0
    /// When set, every call throws it (a key deleted or invalidated by the platform).
    var failure: KeyProtectorError?
    /// When set, every call throws it: an error outside the trait's contract.
    var unexpectedFailure: Error?

    func wrap(plaintext: Data) throws -> Data {
        try lock.withLock {
            wraps += 1
            try fail()
            let handle = Data(random(16))
            let pad = random(plaintext.count)
            let ciphertext = zip(plaintext, pad).map { $0 ^ $1 }
            sealed[handle] = Sealed(pad: pad, ciphertext: ciphertext)
            return handle + Data(ciphertext)
        }
    }

    func unwrap(wrapped: Data) throws -> Data {
        try lock.withLock {
            unwraps += 1
            try fail()
            let bytes = [UInt8](wrapped)
            guard bytes.count >= 16, let entry = sealed[Data(bytes[0..<16])],
                Array(bytes[16...]) == entry.ciphertext
            else {
                throw KeyProtectorError.Failed(reason: "not sealed by this key")
            }
            return Data(zip(entry.ciphertext, entry.pad).map { $0 ^ $1 })
        }
    }

    private func fail() throws {
        if let failure { throw failure }
        if let unexpectedFailure { throw unexpectedFailure }
    }

    private func random(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}
