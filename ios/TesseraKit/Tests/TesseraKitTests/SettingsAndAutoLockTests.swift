// The settings screen (change PIN with the core comparing the confirmation, time offset,
// auto-lock delay, lockout threshold, a new recovery key shown once, the PIN asked again for
// the last two), and auto-lock driven by manual time.

import TesseraKit
import XCTest

@MainActor
final class SettingsAndAutoLockTests: XCTestCase {
    func testChangePinNeedsTheCurrentPinAndAMatchingConfirmation() async throws {
        let (session, _, _) = try tokenWithTotp(try temporaryFolder(self))
        let token = Token(session: session)
        let model = SettingsViewModel(token: token, copier: fakeCopier().0)
        var changes = 0
        model.onChange = { changes += 1 }

        model.currentPin = Fixture.pin
        model.newPin = Fixture.newPin
        model.confirmPin = Fixture.wrongPin
        await model.changePin()
        XCTAssertEqual(Set(model.fieldErrors.keys), [.confirmPin])
        XCTAssertFalse(model.pinChanged)
        XCTAssertEqual([model.currentPin, model.newPin, model.confirmPin], ["", "", ""])

        model.currentPin = Fixture.wrongPin
        model.newPin = Fixture.newPin
        model.confirmPin = Fixture.newPin
        await model.changePin()
        XCTAssertEqual(
            model.fieldErrors, [.currentPin: "wrong PIN, 4 tries left before the token locks"])

        model.currentPin = Fixture.pin
        model.newPin = "12"
        model.confirmPin = "12"
        await model.changePin()
        XCTAssertEqual(Set(model.fieldErrors.keys), [.newPin], "the new PIN is checked by the core")

        model.currentPin = Fixture.pin
        model.newPin = Fixture.newPin
        model.confirmPin = Fixture.newPin
        await model.changePin()
        XCTAssertEqual(model.fieldErrors, [:])
        XCTAssertNil(model.error)
        XCTAssertTrue(model.pinChanged)
        XCTAssertFalse(model.isWorking)
        XCTAssertGreaterThan(changes, 5)

        try token.lock()
        _ = try await tokenError { try await token.unlock(pin: Fixture.pin) }
        let notice = try await token.unlock(pin: Fixture.newPin)
        XCTAssertNil(notice, "the new PIN opens the token")
    }

    func testSettingsAreSavedOrRefusedBesideTheirField() async throws {
        let (session, _, _) = try tokenWithTotp(try temporaryFolder(self))
        let model = SettingsViewModel(token: Token(session: session), copier: fakeCopier().0)
        model.refresh()
        let settings = try XCTUnwrap(model.settings)
        XCTAssertEqual(settings.autoLockSeconds, 60, "the default delay")
        XCTAssertEqual(settings.lockoutThreshold, 5)
        XCTAssertEqual(settings.timeOffsetSeconds, 0)
        XCTAssertTrue(settings.hasRecoveryKey)
        XCTAssertEqual(model.autoLockSeconds, 60)
        XCTAssertEqual(model.lockoutThreshold, 5)
        XCTAssertEqual(model.timeOffset, 0)

        model.timeOffset = 90_000
        model.saveTimeOffset()
        XCTAssertEqual(
            model.fieldErrors,
            [.timeOffset: "the time offset must be between -86400 and 86400 seconds, not 90000"])
        XCTAssertEqual(model.settings?.timeOffsetSeconds, 0)
        model.timeOffset = -45
        model.saveTimeOffset()
        XCTAssertEqual(model.fieldErrors, [:])
        XCTAssertEqual(model.settings?.timeOffsetSeconds, -45)
        XCTAssertEqual(try session.settings().timeOffsetSeconds, -45)

        model.autoLockSeconds = 3_601
        model.saveAutoLock()
        XCTAssertEqual(Set(model.fieldErrors.keys), [.autoLock])
        XCTAssertEqual(model.settings?.autoLockSeconds, 60)
        model.autoLockSeconds = 0
        model.saveAutoLock()
        XCTAssertEqual(model.fieldErrors, [:])
        XCTAssertEqual(try session.settings().autoLockSeconds, 0)

        model.lockoutThreshold = 0
        model.lockoutPin = Fixture.pin
        await model.saveLockoutThreshold()
        XCTAssertEqual(Set(model.fieldErrors.keys), [.lockoutThreshold])
        model.lockoutThreshold = 3
        model.lockoutPin = Fixture.pin
        await model.saveLockoutThreshold()
        XCTAssertEqual(model.fieldErrors, [:])
        XCTAssertEqual(try session.status(), .unlocked)
        XCTAssertEqual(try session.settings().lockoutThreshold, 3)

        try session.lock()
        model.refresh()
        XCTAssertNil(model.settings)
        XCTAssertEqual(model.error, "the token is locked: unlock it with your PIN first")
    }

    func testTheTimeOffsetAndDelayAreSavedAsSoonAsTheyChange() async throws {
        let (session, _, _) = try tokenWithTotp(try temporaryFolder(self))
        let model = SettingsViewModel(token: Token(session: session), copier: fakeCopier().0)
        model.refresh()
        XCTAssertEqual(try session.settings().timeOffsetSeconds, 0)

        // What a field hands over when editing ends (Return, another field, leaving the screen).
        model.timeOffset = 42
        XCTAssertEqual(try session.settings().timeOffsetSeconds, 42, "no separate save needed")
        XCTAssertEqual(model.settings?.timeOffsetSeconds, 42)
        model.timeOffset = 86_401
        XCTAssertEqual(
            model.fieldErrors,
            [InputField.timeOffset: "the time offset must be between -86400 and 86400 seconds, not 86401"])
        XCTAssertEqual(try session.settings().timeOffsetSeconds, 42, "a refused value is not saved")
        XCTAssertEqual(model.timeOffset, 86_401, "and stays in the field to correct")
        model.timeOffset = -86_400
        XCTAssertEqual(model.fieldErrors, [:])
        XCTAssertEqual(try session.settings().timeOffsetSeconds, -86_400)

        model.autoLockSeconds = 900
        XCTAssertEqual(try session.settings().autoLockSeconds, 900)

        // Read back from the vault, the fields hold what was saved.
        let reopened = SettingsViewModel(token: Token(session: session), copier: fakeCopier().0)
        reopened.refresh()
        XCTAssertEqual(reopened.timeOffset, -86_400)
        XCTAssertEqual(reopened.autoLockSeconds, 900)
        XCTAssertEqual(reopened.fieldErrors, [:])

        try session.lock()
        model.timeOffset = 5
        XCTAssertEqual(
            model.fieldErrors, [InputField.timeOffset: "the token is locked: unlock it with your PIN first"],
            "never lost silently")
    }

    func testTheRecoveryKeyIsCopiedOnlyThroughTheCopier() async throws {
        let (session, _, _) = try tokenWithTotp(try temporaryFolder(self))
        let (copier, clipboard, timekeeper) = fakeCopier()
        let model = SettingsViewModel(token: Token(session: session), copier: copier)
        model.copyRecoveryKey()
        XCTAssertNil(clipboard.text, "no key shown, nothing copied")

        model.recoveryKeyPin = Fixture.pin
        await model.makeRecoveryKey()
        let key = try XCTUnwrap(model.recoveryKey)
        model.copyRecoveryKey()
        XCTAssertEqual(clipboard.text, key)
        XCTAssertTrue(model.recoveryKeyCopied)
        timekeeper.advance(by: 30)
        XCTAssertNil(clipboard.text, "taken off the clipboard after 30 s")
        XCTAssertFalse(model.recoveryKeyCopied)

        model.copyRecoveryKey()
        clipboard.text = "something the person copied since"
        timekeeper.advance(by: 30)
        XCTAssertEqual(clipboard.text, "something the person copied since", "never someone else's copy")
    }

    func testUnlockCodesAreTurnedOffWithThePinAndReadBack() async throws {
        let (session, _, _) = try tokenWithTotp(try temporaryFolder(self))
        let model = SettingsViewModel(token: Token(session: session), copier: fakeCopier().0)
        model.refresh()
        XCTAssertTrue(model.unlockCodes, "on by default")

        await model.setUnlockCodes(false, pin: Fixture.wrongPin)
        XCTAssertEqual(
            model.fieldErrors, [.unlockCodes: "wrong PIN, 4 tries left before the token locks"])
        XCTAssertTrue(try session.settings().unlockCodes)

        await model.setUnlockCodes(false, pin: Fixture.pin)
        XCTAssertEqual(model.fieldErrors, [:])
        XCTAssertFalse(model.unlockCodes)
        XCTAssertEqual(model.settings?.unlockCodes, false)
        try session.lock()
        _ = try session.unlock(pin: Fixture.pin)
        XCTAssertFalse(try session.settings().unlockCodes)

        await model.setUnlockCodes(true, pin: Fixture.pin)
        XCTAssertTrue(model.unlockCodes)
    }

    func testANewRecoveryKeyIsShownOnceAndReplacesTheOldOne() async throws {
        let (session, _, oldKey) = try tokenWithTotp(try temporaryFolder(self))
        let token = Token(session: session)
        let model = SettingsViewModel(token: token, copier: fakeCopier().0)
        model.recoveryKeyPin = Fixture.pin
        await model.makeRecoveryKey()
        let newKey = try XCTUnwrap(model.recoveryKey)
        XCTAssertNotEqual(newKey, oldKey)
        model.dismissRecoveryKey()
        XCTAssertNil(model.recoveryKey)

        try token.lock()
        let refused = try await tokenError {
            try await token.unlock(recoveryKey: oldKey, newPin: Fixture.newPin)
        }
        guard case .WrongUnlockCode = refused else { return XCTFail("\(refused)") }
        try await token.unlock(recoveryKey: newKey, newPin: Fixture.newPin)
        XCTAssertEqual(try session.status(), .unlocked)
    }

    func testANewRecoveryKeyAndTheLockoutThresholdNeedThePinAgain() async throws {
        let (session, _, _) = try tokenWithTotp(try temporaryFolder(self))
        let token = Token(session: session)
        let model = SettingsViewModel(token: token, copier: fakeCopier().0)
        model.refresh()

        // Out of range: refused beside the threshold before the PIN is checked (no try spent).
        model.lockoutThreshold = 101
        model.lockoutPin = Fixture.wrongPin
        await model.saveLockoutThreshold()
        XCTAssertEqual(Set(model.fieldErrors.keys), [.lockoutThreshold])
        XCTAssertEqual(model.lockoutPin, "", "the PIN field is cleared")

        model.lockoutThreshold = 100
        model.lockoutPin = Fixture.wrongPin
        await model.saveLockoutThreshold()
        XCTAssertEqual(
            model.fieldErrors, [.lockoutPin: "wrong PIN, 4 tries left before the token locks"])
        model.recoveryKeyPin = Fixture.wrongPin
        await model.makeRecoveryKey()
        XCTAssertEqual(
            model.fieldErrors,
            [.recoveryKeyPin: "wrong PIN, 3 tries left before the token locks"])
        XCTAssertEqual(model.recoveryKeyPin, "", "the PIN field is cleared")
        XCTAssertNil(model.recoveryKey)
        XCTAssertEqual(try session.settings().lockoutThreshold, 5)

        model.lockoutThreshold = 4
        model.lockoutPin = Fixture.pin
        await model.saveLockoutThreshold()
        XCTAssertEqual(model.fieldErrors, [:])
        XCTAssertEqual(model.settings?.lockoutThreshold, 4)
        model.recoveryKeyPin = Fixture.pin
        await model.makeRecoveryKey()
        let key = try XCTUnwrap(model.recoveryKey)
        XCTAssertFalse(model.isWorking)

        // The right PIN cleared the count: four wrong ones now lock the token and the session.
        for _ in 0..<3 {
            model.recoveryKeyPin = Fixture.wrongPin
            await model.makeRecoveryKey()
        }
        XCTAssertEqual(try session.status(), .unlocked)
        model.recoveryKeyPin = Fixture.wrongPin
        await model.makeRecoveryKey()
        XCTAssertEqual(Set(model.fieldErrors.keys), [.recoveryKeyPin])
        let locked = try tokenError { try session.settings() }
        guard case .NotUnlocked = locked else { return XCTFail("\(locked)") }
        try await token.unlock(recoveryKey: key, newPin: Fixture.newPin)
        XCTAssertEqual(try session.status(), .unlocked)
    }

    func testAutoLockLocksAfterTheDelayAway() async throws {
        let (session, _, _) = try tokenWithTotp(try temporaryFolder(self))
        let token = Token(session: session)
        let timekeeper = ManualTimekeeper()
        let autoLock = AutoLock(token: token, timekeeper: timekeeper)

        XCTAssertFalse(autoLock.movedToForeground(), "never left")
        XCTAssertFalse(autoLock.movedToBackground(), "60 s by default")
        timekeeper.advance(by: 59)
        XCTAssertFalse(autoLock.movedToForeground())
        XCTAssertEqual(try session.status(), .unlocked)

        XCTAssertFalse(autoLock.movedToBackground())
        timekeeper.advance(by: 60)
        XCTAssertTrue(autoLock.movedToForeground())
        XCTAssertEqual(try session.status(), .needsPin(attemptsLeft: 5))

        // Locked already: nothing to do, and the time away is not remembered.
        XCTAssertFalse(autoLock.movedToBackground())
        timekeeper.advance(by: 1_000)
        _ = try session.unlock(pin: Fixture.pin)
        XCTAssertFalse(autoLock.movedToForeground())
        XCTAssertEqual(try session.status(), .unlocked)

        try session.setAutoLockSeconds(seconds: 300)
        XCTAssertFalse(autoLock.movedToBackground())
        timekeeper.advance(by: 299)
        XCTAssertFalse(autoLock.movedToForeground())
        XCTAssertFalse(autoLock.movedToBackground())
        timekeeper.advance(by: 300)
        XCTAssertTrue(autoLock.movedToForeground())
        XCTAssertEqual(try session.status(), .needsPin(attemptsLeft: 5))

        _ = try session.unlock(pin: Fixture.pin)
        try session.setAutoLockSeconds(seconds: 0)
        XCTAssertTrue(autoLock.movedToBackground(), "a delay of 0 locks as the app leaves")
        XCTAssertEqual(try session.status(), .needsPin(attemptsLeft: 5))
        XCTAssertFalse(autoLock.movedToForeground())

        let empty = AutoLock(
            token: try Token(folder: try temporaryFolder(self), protector: nil), timekeeper: timekeeper)
        XCTAssertFalse(empty.movedToBackground(), "no token yet")
        timekeeper.advance(by: 1_000)
        XCTAssertFalse(empty.movedToForeground())
    }
}
