// Import, export and backups through Token's async calls and the real library, mirroring the
// Kotlin TransferTest: the Aegis samples of tests/interop (vectors and password from their
// EXPECTED.md), codes at a fixed time, errors as the ShownError a screen shows, round trips.

import Foundation
import TesseraKit
import XCTest

final class TransferTests: XCTestCase {
    /// EXPECTED.md's TOTP vectors V1 to V3 (SHA1/6/30, SHA256/7/20, SHA512/8/50) and their RFC
    /// 6238 codes at `Fixture.time`. Swift on Linux has no HMAC here; the same codes are
    /// computed from the secrets with HMAC in bindings/tests/transfer.rs, which checks these
    /// constants, and in the Kotlin TransferTest.
    private let vectorCodes = [
        ("Deno", "Mason", "790195"),
        ("SPDX", "James", "9993814"),
        ("Airbnb", "Elijah", "65516786"),
    ]

    /// V1 to V7 as the token names them (names are unique: the second James and Mason get " (2)").
    private let allVectors: [(String, String, IdentityKindLabel)] = [
        ("Deno", "Mason", .totp), ("SPDX", "James", .totp), ("Airbnb", "Elijah", .totp),
        ("Issuu", "James (2)", .hotp), ("Air Canada", "Benjamin", .hotp),
        ("WWE", "Mason (2)", .hotp), ("Boeing", "Sophia", .steam),
    ]

    private let backupPassword = "correct horse battery staple"

    private func sample(_ name: String) throws -> Data {
        try Data(
            contentsOf: Fixture.vectorsFolder.deletingLastPathComponent()
                .appendingPathComponent("interop/aegis/\(name)"))
    }

    private func newToken() throws -> Token {
        Token(session: try tokenWithTotp(try temporaryFolder(self)).session)
    }

    private func assertVectorCodes(_ token: Token, file: StaticString = #filePath, line: UInt = #line) throws {
        let identities = try token.session.identities()
        for (issuer, name, code) in vectorCodes {
            let identity = try XCTUnwrap(identities.first { $0.issuer == issuer && $0.name == name })
            XCTAssertEqual(
                try token.session.codeAt(identityId: identity.id, unixTime: Fixture.time).code, code,
                "\(issuer): \(name)", file: file, line: line)
        }
    }

    private func triples(_ added: [IdentitySummary]) -> [String] {
        added.map { "\($0.issuer ?? ""): \($0.name) \($0.kind)" }
    }

    private var expectedTriples: [String] {
        allVectors.map { "\($0.0): \($0.1) \($0.2)" }
    }

    func testAPlainAegisExportImportsEveryVectorWithItsCodes() async throws {
        let token = try newToken()
        let summary = try await token.importFile(try sample("aegis_plain.json"))
        XCTAssertEqual(summary.format, .aegisPlain)
        XCTAssertEqual(triples(summary.added), expectedTriples)
        XCTAssertEqual(summary.skipped, [])
        try assertVectorCodes(token)
    }

    func testAnEncryptedAegisExportAsksForItsPasswordAndRefusesAWrongOne() async throws {
        let token = try newToken()
        let file = try sample("aegis_encrypted.json")
        let needed = try await tokenError { try await token.importFile(file) }
        guard case let .PasswordNeeded(format, _) = needed else {
            return XCTFail("expected PasswordNeeded, got \(needed)")
        }
        XCTAssertEqual(format, "an encrypted Aegis export")

        let wrong = try await tokenError { try await token.importFile(file, password: "tset") }
        let shown = ShownError(wrong)
        XCTAssertEqual(shown.field, .password)
        XCTAssertTrue(shown.message.hasPrefix("the password is wrong"), shown.message)
        XCTAssertEqual(try token.session.identities().count, 1, "nothing was added")

        // EXPECTED.md: the password is "test".
        let summary = try await token.importFile(file, format: .aegisEncrypted, password: "test")
        XCTAssertEqual(summary.added.count, 7)
        try assertVectorCodes(token)
    }

    func testAnOtpauthExportImportsBackIntoAnotherToken() async throws {
        let token = try newToken()
        _ = try await token.importFile(try sample("aegis_plain.json"))
        let wrongPin = try await tokenError { try await token.export(.otpauth, pin: Fixture.wrongPin) }
        guard case .WrongPin = wrongPin else { return XCTFail("expected WrongPin, got \(wrongPin)") }

        let export = try await token.export(.otpauth, pin: Fixture.pin)
        XCTAssertEqual(export.links.count, 8)
        XCTAssertTrue(export.links.allSatisfy { $0.hasPrefix("otpauth://") })
        XCTAssertNil(export.backup)

        let other = try newToken()
        let summary = try await other.importFile(Data(export.links.joined(separator: "\n").utf8))
        XCTAssertEqual(summary.format, .otpauthList)
        XCTAssertEqual(triples(summary.added), expectedTriples)
        XCTAssertEqual(summary.skipped.map(\.name), [#""Tessera: fixture@example.com""#])
        try assertVectorCodes(other)

        let google = try await token.export(.google, pin: Fixture.pin)
        XCTAssertEqual(google.qrCodes.count, google.links.count)
        XCTAssertTrue(google.qrCodes.allSatisfy { $0.starts(with: [0x89, 0x50, 0x4e, 0x47]) })
        XCTAssertEqual(
            google.skipped.map(\.name),
            ["SPDX: James", "Airbnb: Elijah", "Air Canada: Benjamin", "Boeing: Sophia"])
    }

    func testABackupVerifiesOnlyWithItsPasswordAndRestoresEveryIdentity() async throws {
        let token = try newToken()
        _ = try await token.importFile(try sample("aegis_plain.json"))
        let mismatch = try await tokenError {
            try await token.export(
                .tessera, pin: Fixture.pin, backupPassword: backupPassword,
                backupPasswordConfirmation: backupPassword + "!")
        }
        XCTAssertEqual(mismatch.field, .backupPasswordConfirmation)
        let short = try await tokenError {
            try await token.export(
                .tessera, pin: Fixture.pin, backupPassword: "short", backupPasswordConfirmation: "short")
        }
        XCTAssertEqual(short.field, .backupPassword)

        let made = try await token.export(
            .tessera, pin: Fixture.pin, backupPassword: backupPassword,
            backupPasswordConfirmation: backupPassword)
        let file = try XCTUnwrap(made.backup)
        XCTAssertEqual(String(decoding: file.prefix(8), as: UTF8.self), "TSRBACKP")

        let wrong = try await tokenError {
            try await Token.verifyBackup(file, password: "correct horse battery stapler")
        }
        XCTAssertEqual(ShownError(wrong).field, .password)
        let verified = try await Token.verifyBackup(file, password: backupPassword)
        XCTAssertEqual(
            verified.identities.map { "\($0.issuer ?? ""): \($0.name) \($0.kind)" },
            ["Tessera: fixture@example.com \(IdentityKindLabel.totp)"] + expectedTriples)

        let other = try newToken()
        let needed = try await tokenError { try await other.importFile(file) }
        guard case .PasswordNeeded = needed else { return XCTFail("expected PasswordNeeded, got \(needed)") }
        let restored = try await other.importFile(file, password: backupPassword)
        XCTAssertEqual(restored.format, .tesseraBackup)
        XCTAssertEqual(restored.added.count, 7)
        try assertVectorCodes(other)
    }

    func testAnExportRestoredIntoAnEmptyFolderCreatesTheTokenWithARecoveryKey() async throws {
        let token = Token(session: try TokenSession(folder: try temporaryFolder(self), protector: nil))
        let mismatch = try await tokenError {
            try await token.createFromImport(
                try sample("aegis_plain.json"), pin: Fixture.pin, confirmation: Fixture.newPin)
        }
        XCTAssertEqual(ShownError(mismatch).field, .confirmPin)
        XCTAssertEqual(try token.session.status(), .noToken)

        let restored = try await token.createFromImport(
            try sample("aegis_plain.json"), pin: Fixture.pin, confirmation: Fixture.pin)
        XCTAssertEqual(triples(restored.import.added), expectedTriples)
        try assertVectorCodes(token)

        try token.session.lock()
        try await token.unlock(recoveryKey: restored.recoveryKey, newPin: Fixture.newPin)
        try assertVectorCodes(token)
    }
}
