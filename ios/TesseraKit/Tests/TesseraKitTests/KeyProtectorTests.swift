// KeyProtector implemented in Swift and called from Rust: the PIN slot is sealed by it, another
// device key cannot open it, and a failing key becomes KeyUnavailable, never a crash.

import Foundation
import TesseraKit
import XCTest

final class KeyProtectorTests: XCTestCase {
    func testTheProtectorSealsThePinSlot() throws {
        let folder = try temporaryFolder(self)
        let protector = TestKeyProtector()
        let (session, identity, _) = try tokenWithTotp(folder, protector: protector)
        XCTAssertGreaterThan(protector.wraps, 0, "Rust called wrap when the token was made")
        XCTAssertTrue(try session.settings().deviceBound)
        let code = try session.codeAt(identityId: identity.id, unixTime: Fixture.time)
        try session.lock()

        // A new session with the same device key opens it; Rust called unwrap to do so.
        let unwrapsBefore = protector.unwraps
        let reopened = try TokenSession(folder: folder, protector: protector)
        XCTAssertNil(try reopened.unlock(pin: Fixture.pin))
        XCTAssertGreaterThan(protector.unwraps, unwrapsBefore)
        XCTAssertEqual(try reopened.codeAt(identityId: identity.id, unixTime: Fixture.time), code)
    }

    func testAnotherDeviceKeyCannotOpenTheToken() throws {
        let folder = try temporaryFolder(self)
        let (session, _, recoveryKey) = try tokenWithTotp(folder, protector: TestKeyProtector())
        try session.lock()

        // The file copied to another device (another key): the right PIN does not open it.
        let elsewhere = try TokenSession(folder: folder, protector: TestKeyProtector())
        let error = try tokenError { try elsewhere.unlock(pin: Fixture.pin) }
        guard case let .KeyUnavailable(message) = error else {
            return XCTFail("expected KeyUnavailable, got \(error)")
        }
        XCTAssertTrue(message.contains("recovery key"), message)
        // The recovery key is the way back.
        try elsewhere.unlockWithRecoveryKey(recoveryKey: recoveryKey, newPin: Fixture.newPin)
        XCTAssertEqual(try elsewhere.status(), .unlocked)
        XCTAssertEqual(try elsewhere.identities().count, 1)
    }

    func testAnInvalidatedKeyIsKeyUnavailableNotACrash() throws {
        let folder = try temporaryFolder(self)
        let protector = TestKeyProtector()
        let (session, _, _) = try tokenWithTotp(folder, protector: protector)
        try session.lock()

        protector.failure = .KeyInvalidated(reason: "biometrics changed")
        let error = try tokenError { try session.unlock(pin: Fixture.pin) }
        guard case let .KeyUnavailable(message) = error else {
            return XCTFail("expected KeyUnavailable, got \(error)")
        }
        XCTAssertTrue(message.contains("biometrics changed"), message)
        XCTAssertEqual(try session.status(), .needsPin(attemptsLeft: 5), "a device-key failure is not a wrong PIN")

        // An error outside the trait's contract is carried across too.
        protector.failure = nil
        protector.unexpectedFailure = CocoaError(.fileReadNoPermission)
        let unexpected = try tokenError { try session.unlock(pin: Fixture.pin) }
        guard case .KeyUnavailable = unexpected else {
            return XCTFail("expected KeyUnavailable, got \(unexpected)")
        }

        // Once the key works again, so does the PIN.
        protector.unexpectedFailure = nil
        XCTAssertNil(try session.unlock(pin: Fixture.pin))
        XCTAssertEqual(try session.status(), .unlocked)
    }
}
