// The Add Identity and unlock screen models: what each shows after each step, errors beside
// their fields, change callbacks, one attempt at a time.

import TesseraKit
import XCTest

@MainActor
final class ViewModelTests: XCTestCase {
    func testAddIdentityScreensWalkTheSeedFlow() async throws {
        let token = try Token(folder: try temporaryFolder(self), protector: nil)
        let model = try AddIdentityViewModel(token: token, copier: fakeCopier().0)
        var changes = 0
        model.onChange = { changes += 1 }
        XCTAssertEqual(model.step, .start)

        model.serial = "48244-13457"
        model.activation = Fixture.activation
        await model.submitActivation()
        XCTAssertEqual(model.step, .start)
        XCTAssertEqual(
            model.fieldErrors,
            [.serialNumber: "the serial number has a typo: its check digit does not match"])
        XCTAssertGreaterThan(changes, 0)

        model.serial = Fixture.serial
        model.address = Fixture.address
        await model.submitActivation()
        XCTAssertEqual(model.step, .needsPin)
        XCTAssertEqual(model.fieldErrors, [:])

        model.pin = Fixture.pin
        await model.submitPin()
        XCTAssertEqual(model.step, .confirmPin)
        XCTAssertEqual(model.pin, "", "the PIN field is cleared")
        model.pinAgain = Fixture.newPin
        await model.submitPinAgain()
        XCTAssertEqual(model.step, .needsPin, "a mismatch goes back to choosing the PIN")
        XCTAssertEqual(
            model.fieldErrors[.pin], "the two PINs are not the same: choose a PIN and type it twice")

        model.pin = Fixture.pin
        await model.submitPin()
        model.pinAgain = Fixture.pin
        await model.submitPinAgain()
        guard case let .showRegistrationCode(name, registration) = model.step else {
            return XCTFail("expected the registration code, got \(model.step)")
        }
        XCTAssertEqual(name, "myid.example.edu")
        await model.finish()
        let (identity, recoveryKey, _) = try done(model.step)
        XCTAssertNotNil(recoveryKey, "the done screen shows the recovery key")
        XCTAssertEqual(identity.registrationCode, registration)
        XCTAssertFalse(model.isWorking)
        XCTAssertNil(model.stepError)

        // A second pass with the same data: the duplicate is refused for the step as a whole.
        let again = try AddIdentityViewModel(token: token, copier: fakeCopier().0)
        again.serial = Fixture.serial
        again.activation = Fixture.activation
        await again.submitActivation()
        XCTAssertEqual(again.step, .start)
        XCTAssertNotNil(again.stepError)
        XCTAssertEqual(again.fieldErrors, [:])
    }

    func testUnlockScreenCountsDownThenShowsTheResetCode() async throws {
        let folder = try temporaryFolder(self)
        let (session, _, recoveryKey) = try tokenWithTotp(folder)
        try session.lock()
        let model = UnlockViewModel(token: Token(session: session))
        var changes = 0
        model.onChange = { changes += 1 }
        model.refresh()
        XCTAssertEqual(model.state, .needsPin(attemptsLeft: 5))

        model.pin = Fixture.wrongPin
        await model.submitPin()
        XCTAssertEqual(model.state, .needsPin(attemptsLeft: 4))
        XCTAssertEqual(model.error?.message, "wrong PIN, 4 tries left before the token locks")
        XCTAssertNil(model.error?.field)
        XCTAssertEqual(model.pin, "")
        XCTAssertGreaterThan(changes, 0)

        for _ in 0..<4 {
            model.pin = Fixture.wrongPin
            await model.submitPin()
        }
        // An otpauth-only token has no unlock slot: only the recovery key opens it.
        XCTAssertEqual(model.state, .lockedOut(resetCode: nil, unlockAttemptsLeft: 0, recoveryKey: true))
        XCTAssertEqual(
            model.error?.message,
            "the token is locked after too many wrong PINs; only its recovery key can unlock it now")

        model.recoveryKey = recoveryKey
        model.newPin = "12"
        await model.submitRecoveryKey()
        XCTAssertEqual(model.error?.field, .pin, "the new PIN is checked by the core")
        model.newPin = Fixture.newPin
        await model.submitRecoveryKey()
        XCTAssertNil(model.error)
        XCTAssertEqual(model.state, .unlocked)
        XCTAssertEqual(model.recoveryKey, "")
        XCTAssertFalse(model.isWorking)
    }

    func testLockedScreenShowsTheResetCodeAndTakesTheOrganisationsUnlockCode() async throws {
        let issuer = try makeIssuer(self)
        let issued = try issuer.create(
            name: "Example University", digits: 6, policy: nil, ocraSuite: nil, address: nil)
        let session = try TokenSession(folder: try temporaryFolder(self), protector: nil)
        _ = try addIssued(issued, to: session, issuer: issuer)
        try session.lock()
        let model = UnlockViewModel(token: Token(session: session))
        for _ in 0..<5 {
            model.pin = Fixture.wrongPin
            await model.submitPin()
        }
        guard case let .lockedOut(resetCode?, triesLeft, recoveryKey) = model.state else {
            return XCTFail("expected the locked-out state with a reset code, got \(String(describing: model.state))")
        }
        XCTAssertTrue(recoveryKey)

        model.unlockCode = "000000000"
        model.newPin = Fixture.newPin
        await model.submitUnlockCode()
        XCTAssertEqual(model.error?.field, .unlockCode)
        XCTAssertEqual(model.state, .lockedOut(resetCode: resetCode, unlockAttemptsLeft: triesLeft, recoveryKey: true))
        XCTAssertEqual(model.unlockCode, "000000000", "kept to correct")

        model.unlockCode = try issuer.unlockCode(serial: issued.serial, resetCode: resetCode)
        model.newPin = Fixture.newPin
        await model.submitUnlockCode()
        XCTAssertNil(model.error)
        XCTAssertEqual(model.state, .unlocked)
        XCTAssertEqual(model.unlockCode, "")
        try session.lock()
        XCTAssertNil(try session.unlock(pin: Fixture.newPin), "the new PIN opens the token")
    }
}
