// The seed's scenario end to end through the Swift facade: typed activation data on a new
// token, PIN set and confirmed, the registration code shown, the identity saved with a
// recovery key; codes equal the issuer's own computation; lockout after five wrong PINs, and
// the recovery key opening the token again with the same codes.

import TesseraKit
import XCTest

final class SeedFlowTests: XCTestCase {
    func testSeedFlowLockoutAndRecovery() async throws {
        let folder = try temporaryFolder(self)
        let token = try Token(folder: folder, protector: nil)
        XCTAssertEqual(try token.session.status(), .noToken)

        let flow = try token.addIdentity()
        XCTAssertEqual(try flow.step(), .start)
        let data = ActivationInput(
            serial: Fixture.serial, activation: Fixture.activation, address: Fixture.address,
            name: nil, digits: nil, ocraSuite: nil)
        let afterData = try await flow.enterActivation(data)
        XCTAssertEqual(afterData, .needsPin)
        let afterPin = try await flow.setPin(Fixture.pin)
        XCTAssertEqual(afterPin, .confirmPin)
        let shown = try await flow.confirmPin(Fixture.pin)
        guard case let .showRegistrationCode(name, registration) = shown else {
            return XCTFail("expected the registration code, got \(shown)")
        }
        XCTAssertEqual(name, "myid.example.edu")
        XCTAssertTrue(
            registration.range(of: #"^\d{5}-\d{5}$"#, options: .regularExpression) != nil,
            registration)
        // Nothing is saved before finish.
        XCTAssertEqual(try token.session.status(), .noToken)

        let (identity, recoveryKey, _) = try done(try await flow.finish())
        let key = try XCTUnwrap(recoveryKey, "a new token shows its recovery key once")
        XCTAssertFalse(key.isEmpty)
        XCTAssertEqual(identity.kind, .identityGuard)
        XCTAssertEqual(identity.name, "myid.example.edu")
        XCTAssertEqual(identity.serial, Fixture.serial)
        XCTAssertEqual(identity.registrationCode, registration)
        XCTAssertEqual(identity.address, Fixture.address)
        XCTAssertEqual(identity.digits, 6)
        XCTAssertEqual(identity.period, 30)
        XCTAssertEqual(try token.session.status(), .unlocked)
        XCTAssertEqual(try flow.step(), .done(identity: identity, recoveryKey: nil, warnings: []))

        // The issuer's computation from the same activation data and the registration code shown.
        let times: [UInt64] = [Fixture.time, Fixture.time + 30, Fixture.time + 3_600, 2_000_000_000]
        var codes: [UInt64: String] = [:]
        for time in times {
            let code = try token.session.codeAt(identityId: identity.id, unixTime: time)
            let issuers = try identityguardCode(
                serial: Fixture.serial, activation: Fixture.activation, registration: registration,
                policy: nil, digits: 6, unixTime: time)
            XCTAssertEqual(code.code, issuers, "t = \(time)")
            XCTAssertEqual(code.grouped, try groupCode(code: issuers))
            XCTAssertEqual(code.period, 30)
            XCTAssertEqual(code.validFrom, time - time % 30)
            XCTAssertEqual(code.validUntil, time - time % 30 + 30)
            XCTAssertEqual(code.secondsLeft, UInt32(30 - time % 30))
            codes[time] = code.code
        }

        // Locked: no codes until the PIN is given.
        try token.lock()
        XCTAssertEqual(try token.session.status(), .needsPin(attemptsLeft: 5))
        let notUnlocked = try tokenError { try token.session.codeAt(identityId: identity.id, unixTime: Fixture.time) }
        XCTAssertEqual(
            notUnlocked, .NotUnlocked(message: "the token is locked: unlock it with your PIN first"))

        // Five wrong PINs lock the token; the fifth reports the lockout and a reset code.
        for left: UInt32 in [4, 3, 2, 1] {
            let error = try await tokenError { try await token.unlock(pin: Fixture.wrongPin) }
            let tries = left == 1 ? "1 try left" : "\(left) tries left"
            XCTAssertEqual(
                error, .WrongPin(attemptsLeft: left, message: "wrong PIN, \(tries) before the token locks"))
            XCTAssertEqual(try token.session.status(), .needsPin(attemptsLeft: left))
        }
        let locked = try await tokenError { try await token.unlock(pin: Fixture.wrongPin) }
        guard case let .Locked(resetCode, message) = locked else {
            return XCTFail("expected Locked, got \(locked)")
        }
        let reset = try XCTUnwrap(resetCode, "an IdentityGuard token can be unlocked by code")
        XCTAssertEqual(reset.filter(\.isNumber).count, 9, reset)
        XCTAssertEqual(
            message,
            "the token is locked after too many wrong PINs; give the reset code to your help desk and type the unlock code they answer (or use the recovery key, if you have one)"
        )
        guard case let .lockedOut(shownReset, _, recoveryKeyAccepted) = try token.session.status() else {
            return XCTFail("expected the locked-out state")
        }
        XCTAssertEqual(shownReset, reset)
        XCTAssertTrue(recoveryKeyAccepted)
        // Even the right PIN is refused now.
        let stillLocked = try await tokenError { try await token.unlock(pin: Fixture.pin) }
        guard case .Locked = stillLocked else { return XCTFail("expected Locked, got \(stillLocked)") }

        // A wrong recovery key is refused; the right one opens the token with a new PIN.
        let wrongKey = try await tokenError {
            try await token.unlock(recoveryKey: String(repeating: "A", count: key.filter { $0.isLetter || $0.isNumber }.count), newPin: Fixture.newPin)
        }
        guard case .WrongUnlockCode = wrongKey else { return XCTFail("expected WrongUnlockCode, got \(wrongKey)") }
        try await token.unlock(recoveryKey: key, newPin: Fixture.newPin)
        XCTAssertEqual(try token.session.status(), .unlocked)
        for time in times {
            XCTAssertEqual(
                try token.session.codeAt(identityId: identity.id, unixTime: time).code, codes[time],
                "the code is unchanged after recovery, t = \(time)")
        }

        // The new PIN is the PIN, from a new session on the same folder too.
        try token.lock()
        let reopened = try Token(folder: folder, protector: nil)
        XCTAssertEqual(try reopened.session.status(), .needsPin(attemptsLeft: 5))
        let oldPin = try await tokenError { try await reopened.unlock(pin: Fixture.pin) }
        guard case .WrongPin(attemptsLeft: 4, _) = oldPin else { return XCTFail("\(oldPin)") }
        let notice = try await reopened.unlock(pin: Fixture.newPin)
        XCTAssertNil(notice)
        XCTAssertEqual(try reopened.session.identities().map(\.id), [identity.id])
        XCTAssertEqual(
            try reopened.session.codeAt(identityId: identity.id, unixTime: Fixture.time).code,
            codes[Fixture.time])
    }

    /// An igmobileotp:// link from tests/vectors/identityguard.json: a wrong password names the
    /// password field; the right one goes on to the PIN and the registration code.
    func testActivationLinkWithItsPassword() async throws {
        let links = try Fixture.cases("identityguard.json", "links")
        let link = try XCTUnwrap(links.first { $0["name"] as? String == "full_escaped_slashes" })
        let token = try Token(folder: try temporaryFolder(self), protector: nil)
        let flow = try token.addIdentity()

        let afterLink = try await flow.enterLink(try link.string("uri"))
        XCTAssertEqual(afterLink, .needsPassword)
        let wrong = try await tokenError { try await flow.enterPassword("11111111") }
        XCTAssertEqual(
            wrong,
            .InvalidInput(field: .password, message: "the link password is wrong (or the link was changed)"))
        XCTAssertEqual(try flow.step(), .needsPassword)

        let afterPassword = try await flow.enterPassword(try link.string("password"))
        XCTAssertEqual(afterPassword, .needsPin)
        _ = try await flow.setPin(Fixture.pin)
        let shown = try await flow.confirmPin(Fixture.pin)
        guard case let .showRegistrationCode(name, registration) = shown else {
            return XCTFail("expected the registration code, got \(shown)")
        }
        let expected = try XCTUnwrap(link["expected"] as? [String: Any])
        XCTAssertEqual(name, try expected.string("name"))
        let (identity, _, _) = try done(try await flow.finish())
        XCTAssertEqual(identity.policyIncluded, true, "the link carries a policy")
        XCTAssertEqual(identity.address, try expected.string("address"))
        // With a policy, codes use the derivation that includes it (as in the public vector).
        XCTAssertEqual(
            try token.session.codeAt(identityId: identity.id, unixTime: Fixture.time).code,
            try identityguardCode(
                serial: Fixture.serial, activation: Fixture.activation, registration: registration,
                policy: expected.string("policy"), digits: 6, unixTime: Fixture.time))
    }

    /// The seed's flow against the real issuer: it creates the identity, the token activates
    /// from its link and password, the issuer completes the registration and accepts the
    /// token's codes (once each); after a lockout the issuer's answer to the reset code unlocks
    /// the token with a new PIN.
    func testSeedFlowAgainstTheIssuer() async throws {
        let issuer = try Issuer.open(
            folder: try temporaryFolder(self), passphrase: "correct horse battery staple")
        let issued = try issuer.create(
            name: "Example University", digits: 6, policy: nil, ocraSuite: nil,
            address: "https://myid.example.edu/igst")

        let token = try Token(folder: try temporaryFolder(self), protector: nil)
        let flow = try token.addIdentity()
        let afterLink = try await flow.enterLink(issued.link)
        XCTAssertEqual(afterLink, .needsPassword)
        _ = try await flow.enterPassword(issued.password)
        _ = try await flow.setPin(Fixture.pin)
        guard case let .showRegistrationCode(_, registration) = try await flow.confirmPin(Fixture.pin) else {
            return XCTFail("expected the registration code, got \(try flow.step())")
        }
        let identity = try done(try await flow.finish()).identity
        XCTAssertEqual(identity.serial, issued.serial)
        try issuer.complete(serial: issued.serial, registrationCode: registration)

        let code = try token.session.codeAt(identityId: identity.id, unixTime: Fixture.time)
        XCTAssertEqual(try issuer.verify(serial: issued.serial, code: code.code, unixTime: Fixture.time), 0)
        do {
            _ = try issuer.verify(serial: issued.serial, code: code.code, unixTime: Fixture.time)
            XCTFail("a code is accepted once")
        } catch IssuerError.Refused {}
        let later = try token.session.codeAt(identityId: identity.id, unixTime: Fixture.time + 90)
        XCTAssertEqual(try issuer.verify(serial: issued.serial, code: later.code, unixTime: Fixture.time + 90), 0)

        try token.lock()
        for _ in 0..<4 {
            _ = try await tokenError { try await token.unlock(pin: Fixture.wrongPin) }
        }
        let locked = try await tokenError { try await token.unlock(pin: Fixture.wrongPin) }
        guard case let .Locked(resetCode?, _) = locked else { return XCTFail("\(locked)") }

        guard case let .lockedOut(_, triesBefore, _) = try token.session.status() else {
            return XCTFail("expected the locked-out state")
        }
        let mistyped = try await tokenError {
            try await token.unlock(unlockCode: "000000000", newPin: Fixture.newPin)
        }
        XCTAssertEqual(
            mistyped,
            .InvalidInput(field: .unlockCode, message: "an unlock code has 11 digits; 9 were given"))
        guard case let .lockedOut(_, triesAfter, _) = try token.session.status() else {
            return XCTFail("expected the locked-out state")
        }
        XCTAssertEqual(triesAfter, triesBefore, "a mistyped code costs no try")
        let unlockCode = try issuer.unlockCode(serial: issued.serial, resetCode: resetCode)
        try await token.unlock(unlockCode: unlockCode, newPin: Fixture.newPin)
        XCTAssertEqual(try token.session.status(), .unlocked)
        XCTAssertEqual(try token.session.codeAt(identityId: identity.id, unixTime: Fixture.time), code)
        try token.lock()
        _ = try await token.unlock(pin: Fixture.newPin)
    }
}
