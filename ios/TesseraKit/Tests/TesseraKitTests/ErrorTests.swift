// Each TokenError case the shells act on, with its field and the core's exact words.

import TesseraKit
import XCTest

final class ErrorTests: XCTestCase {
    func testFlowRefusalsNameTheirFields() throws {
        let session = try TokenSession(folder: try temporaryFolder(self), protector: nil)
        let flow = try session.addIdentity()
        func activation(serial: String = Fixture.serial, activation: String = Fixture.activation,
                        address: String? = nil) -> ActivationInput {
            ActivationInput(serial: serial, activation: activation, address: address, name: nil,
                           digits: nil, ocraSuite: nil)
        }

        XCTAssertEqual(
            try tokenError { try flow.enterActivation(data: activation(serial: "48244-13457")) },
            .InvalidInput(field: .serialNumber,
                          message: "the serial number has a typo: its check digit does not match"))
        XCTAssertEqual(
            try tokenError { try flow.enterActivation(data: activation(activation: "1745-7712-6942-8699")) },
            .InvalidInput(field: .activationCode,
                          message: "the activation code has a typo: its check digit does not match"))
        XCTAssertEqual(
            try tokenError { try flow.finish() },
            .WrongStep(message: #"this step does not come now: the flow is at "start""#))
        XCTAssertEqual(try flow.step(), .start)

        XCTAssertEqual(try flow.enterActivation(data: activation()), .needsPin)
        XCTAssertEqual(
            try tokenError { try flow.setPin(pin: "1234") },
            .InvalidInput(field: .pin,
                          message: "a PIN of consecutive digits (like 1234 or 9876) is too easy to guess; choose another"))
        XCTAssertEqual(try flow.setPin(pin: Fixture.pin), .confirmPin)
        // A different confirmation goes back to choosing the PIN.
        XCTAssertEqual(
            try tokenError { try flow.confirmPin(pin: Fixture.newPin) },
            .InvalidInput(field: .pin,
                          message: "the two PINs are not the same: choose a PIN and type it twice"))
        XCTAssertEqual(try flow.step(), .needsPin)
        XCTAssertEqual(try session.status(), .noToken, "nothing was saved")
    }

    func testSessionRefusals() throws {
        let folder = try temporaryFolder(self)
        let empty = try TokenSession(folder: folder, protector: nil)
        XCTAssertEqual(
            try tokenError { try empty.unlock(pin: Fixture.pin) },
            .NoToken(message: "there is no token here yet: add an identity to set one up"))

        let (session, identity, _) = try tokenWithTotp(folder)
        XCTAssertEqual(
            try tokenError { try session.codeAt(identityId: "no-such-id", unixTime: Fixture.time) },
            .NotFound(message: #"no identity is called "no-such-id""#))

        // The same link again is a duplicate, refused without saving.
        let again = try session.addIdentity()
        XCTAssertEqual(
            try tokenError { try again.enterLink(link: Fixture.totpLink) },
            .Duplicate(message: #"this identity is already on the token (as "fixture@example.com")"#))
        XCTAssertEqual(try session.identities().count, 1)

        // A second identity cannot take the first one's name.
        let second = try done(try session.addIdentity().enterLink(link: Fixture.hotpLink)).identity
        let taken = try tokenError { try session.rename(identityId: second.id, newName: identity.name) }
        XCTAssertEqual(taken.field, .name)
        XCTAssertEqual(taken.text(), #"another identity is already called "fixture@example.com""#)
        XCTAssertEqual(try session.rename(identityId: second.id, newName: "Counter").name, "Counter")

        // After lock nothing decrypted is reachable, and Add Identity needs the PIN first.
        try session.lock()
        let locked = TokenError.NotUnlocked(message: "the token is locked: unlock it with your PIN first")
        XCTAssertEqual(try tokenError { try session.identities() }, locked)
        XCTAssertEqual(try tokenError { try session.addIdentity() }, locked)
        XCTAssertEqual(try tokenError { try session.code(identityId: identity.id) }, locked)
        XCTAssertEqual(try session.unlock(pin: Fixture.pin), nil)
        XCTAssertEqual(try session.identities().map(\.name), ["fixture@example.com", "Counter"])
    }

    func testTheFacadeShowsMessagesAndFields() throws {
        let invalid = ShownError(TokenError.InvalidInput(field: .pin, message: "too short"))
        XCTAssertEqual(invalid, ShownError(TokenError.InvalidInput(field: .pin, message: "too short")))
        XCTAssertEqual(invalid.field, .pin)
        XCTAssertEqual(invalid.message, "too short")
        let wrongPin = ShownError(TokenError.WrongPin(attemptsLeft: 2, message: "wrong PIN"))
        XCTAssertNil(wrongPin.field)
        XCTAssertEqual(wrongPin.message, "wrong PIN")
        XCTAssertEqual(TokenError.Internal(reason: "boom").text(), "internal error: boom")
    }

    /// The words come from the core's one exported method, the same for every case: a wrong
    /// PIN reads as core/src/vault/error.rs words it, with no switch in Swift.
    func testTheWordsOfARefusalAreTheCores() throws {
        let (session, _, _) = try tokenWithTotp(try temporaryFolder(self))
        try session.lock()
        let wrongPin = try tokenError { try session.unlock(pin: Fixture.wrongPin) }
        XCTAssertEqual(wrongPin.text(), "wrong PIN, 4 tries left before the token locks")
        let shown = ShownError(wrongPin, beside: .pin)
        XCTAssertEqual(shown.field, .pin)
        XCTAssertEqual(shown.message, "wrong PIN, 4 tries left before the token locks")
    }

    /// Objects are freed when Swift lets go of them; a flow keeps working after the Swift
    /// session object that started it is gone (the Rust side holds what it needs).
    func testAFlowOutlivesItsSessionObject() throws {
        let folder = try temporaryFolder(self)
        var session: TokenSession? = try TokenSession(folder: folder, protector: nil)
        let flow = try XCTUnwrap(session).addIdentity()
        session = nil
        XCTAssertEqual(try flow.enterLink(link: Fixture.totpLink), .needsPin)
        XCTAssertEqual(try flow.setPin(pin: Fixture.pin), .confirmPin)
        let identity = try done(try flow.confirmPin(pin: Fixture.pin)).identity

        let reopened = try TokenSession(folder: folder, protector: nil)
        XCTAssertNil(try reopened.unlock(pin: Fixture.pin))
        XCTAssertEqual(try reopened.identities(), [identity])
    }
}
