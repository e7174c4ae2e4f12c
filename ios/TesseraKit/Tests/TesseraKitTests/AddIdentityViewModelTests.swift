// Add Identity beyond the seed's steps: the choice of method, the name filled from the address
// until the person types one, links opened from outside the app (always confirmed first),
// copying the registration code, and reactivating an IdentityGuard identity.

import TesseraKit
import XCTest

@MainActor
final class AddIdentityViewModelTests: XCTestCase {
    func testTheNameFollowsTheAddressUntilThePersonTypesOne() async throws {
        let token = try Token(folder: try temporaryFolder(self), protector: nil)
        let model = try AddIdentityViewModel(token: token, copier: fakeCopier().0)
        var changes = 0
        model.onChange = { changes += 1 }
        XCTAssertNil(model.method)
        model.choose(.type)
        XCTAssertEqual(model.method, .type)
        XCTAssertFalse(model.isReactivation)

        model.address = Fixture.address
        XCTAssertEqual(model.name, "myid.example.edu", "the address's host")
        XCTAssertGreaterThan(changes, 1, "the screen redraws the filled name")
        model.address = "https://id.other.example.org/self-service"
        XCTAssertEqual(model.name, "id.other.example.org")
        model.address = "not an address"
        XCTAssertEqual(model.name, "", "no host, no name")

        model.name = "Work"
        model.address = Fixture.address
        XCTAssertEqual(model.name, "Work", "a typed name stays")
        model.name = ""
        model.address = "https://myid.example.edu/other"
        XCTAssertEqual(model.name, "myid.example.edu", "an emptied name follows the address again")

        model.name = "Work"
        model.serial = Fixture.serial
        model.activation = Fixture.activation
        await model.submitActivation()
        XCTAssertEqual(model.step, .needsPin)
        model.pin = Fixture.pin
        await model.submitPin()
        model.pinAgain = Fixture.pin
        await model.submitPinAgain()
        guard case let .showRegistrationCode(name, _) = model.step else {
            return XCTFail("expected the registration code, got \(model.step)")
        }
        XCTAssertEqual(name, "Work")

        model.choose(nil)
        XCTAssertNil(model.method, "back to the choice")
    }

    func testAnOpenedLinkIsConfirmedBeforeAnythingIsAdded() async throws {
        let (session, fixture, _) = try tokenWithTotp(try temporaryFolder(self))
        let token = Token(session: session)
        let model = try AddIdentityViewModel(token: token, copier: fakeCopier().0)

        model.openLink(Fixture.hotpLink)
        let offer = try XCTUnwrap(model.offer)
        XCTAssertEqual(offer.label, "counter (Tessera)")
        XCTAssertEqual(offer.preview.needsPassword, false)
        XCTAssertEqual(model.step, .start)
        XCTAssertEqual(try session.identities(), [fixture], "nothing added before confirming")

        model.declineLink()
        XCTAssertNil(model.offer)
        XCTAssertEqual(try session.identities(), [fixture], "nothing added when declined")

        model.openLink(Fixture.hotpLink)
        await model.confirmLink()
        XCTAssertNil(model.offer)
        let added = try done(model.step).identity
        XCTAssertEqual(added.name, "counter")
        XCTAssertEqual(added.issuer, "Tessera")
        XCTAssertEqual(try session.identities().map(\.id), [fixture.id, added.id])

        let other = try AddIdentityViewModel(token: token, copier: fakeCopier().0)
        other.openLink("https://example.com/setup")
        XCTAssertNil(other.offer)
        XCTAssertEqual(
            other.fieldErrors, [.link: "the link must start with otpauth:// or igmobileotp://"])
        XCTAssertEqual(other.method, .link, "the refusal shows beside the link field")
        await other.confirmLink()
        XCTAssertEqual(other.step, .start, "nothing to confirm")
        XCTAssertEqual(try session.identities().count, 2)
    }

    func testAPastedLinkGoesToTheConfirmationPageFirst() async throws {
        let (session, fixture, _) = try tokenWithTotp(try temporaryFolder(self))
        let model = try AddIdentityViewModel(token: Token(session: session), copier: fakeCopier().0)
        model.choose(.link)

        model.link = Fixture.hotpLink
        model.submitPastedLink()
        let offer = try XCTUnwrap(model.offer, "a pasted link is shown for confirmation")
        XCTAssertEqual(offer.label, "counter (Tessera)")
        XCTAssertEqual(model.step, .start)
        XCTAssertEqual(try session.identities(), [fixture], "nothing added before confirming")

        model.declineLink()
        XCTAssertEqual(try session.identities(), [fixture], "nothing added when declined")

        model.submitPastedLink()
        await model.confirmLink()
        let added = try done(model.step).identity
        XCTAssertEqual(added.name, "counter")
        XCTAssertEqual(try session.identities().map(\.id), [fixture.id, added.id])

        model.link = "https://example.com/setup"
        model.submitPastedLink()
        XCTAssertNil(model.offer)
        XCTAssertEqual(
            model.fieldErrors, [.link: "the link must start with otpauth:// or igmobileotp://"])
    }

    func testAnOpenedActivationLinkAsksForItsPasswordAfterConfirming() async throws {
        let issuer = try makeIssuer(self)
        let issued = try issuer.create(
            name: "Example University", digits: 6, policy: nil, ocraSuite: nil,
            address: Fixture.address)
        let (copier, clipboard, timekeeper) = fakeCopier()
        let model = try AddIdentityViewModel(
            token: try Token(folder: try temporaryFolder(self), protector: nil), copier: copier)

        model.openLink(issued.link)
        let offer = try XCTUnwrap(model.offer)
        XCTAssertNil(offer.label, "the link stays sealed until its password")
        XCTAssertTrue(offer.preview.needsPassword)
        await model.confirmLink()
        XCTAssertEqual(model.step, .needsPassword)

        model.password = "not the password"
        await model.submitPassword()
        XCTAssertEqual(model.step, .needsPassword)
        XCTAssertNotNil(model.fieldErrors[.password])
        model.password = issued.password
        await model.submitPassword()
        XCTAssertEqual(model.step, .needsPin, "a new token: choose a PIN")
        model.pin = Fixture.pin
        await model.submitPin()
        model.pinAgain = Fixture.pin
        await model.submitPinAgain()
        guard case let .showRegistrationCode(name, registration) = model.step else {
            return XCTFail("expected the registration code, got \(model.step)")
        }
        XCTAssertEqual(name, "myid.example.edu", "named after the address the link carries")

        model.copyRegistrationCode()
        XCTAssertEqual(clipboard.text, registration, "copied as shown, to type into the page")
        XCTAssertTrue(model.registrationCodeCopied)
        timekeeper.advance(by: 30)
        XCTAssertNil(clipboard.text)
        XCTAssertFalse(model.registrationCodeCopied)

        try issuer.complete(serial: issued.serial, registrationCode: registration)
        await model.finish()
        let identity = try done(model.step).identity
        XCTAssertEqual(identity.serial, issued.serial)
        model.copyRegistrationCode()
        XCTAssertNil(clipboard.text, "nothing to copy once done")

        let recoveryKey = try XCTUnwrap(try done(model.step).recoveryKey, "a new token's key")
        model.copyRecoveryKey()
        XCTAssertEqual(clipboard.text, recoveryKey, "copied only through the copier")
        XCTAssertTrue(model.recoveryKeyCopied)
        timekeeper.advance(by: 29)
        XCTAssertEqual(clipboard.text, recoveryKey)
        timekeeper.advance(by: 1)
        XCTAssertNil(clipboard.text, "cleared like a code")
        XCTAssertFalse(model.recoveryKeyCopied)
    }

    func testReactivationGivesAnIdentityNewActivationDataKeepingItsNameAndPlace() async throws {
        let issuer = try makeIssuer(self)
        let first = try issuer.create(
            name: "Example University", digits: 6, policy: nil, ocraSuite: nil,
            address: Fixture.address)
        let replacement = try issuer.create(
            name: "Example University", digits: 6, policy: nil, ocraSuite: nil, address: nil)
        let (session, fixture, _) = try tokenWithTotp(try temporaryFolder(self))
        let (identity, _) = try addIssued(first, to: session, issuer: issuer)
        _ = try session.rename(identityId: identity.id, newName: "University")
        let token = Token(session: session)

        let refused = IdentityDetailsViewModel(token: token, identity: fixture, copier: fakeCopier().0)
        XCTAssertFalse(refused.canReactivate)
        XCTAssertNil(refused.reactivate())
        XCTAssertEqual(refused.error?.field, .identity)

        let details = IdentityDetailsViewModel(
            token: token, identity: try session.identities()[1], copier: fakeCopier().0)
        XCTAssertTrue(details.canReactivate)
        let model = try XCTUnwrap(details.reactivate())
        XCTAssertNil(details.error)
        XCTAssertTrue(model.isReactivation)
        XCTAssertEqual(model.step, .start)

        model.openLink(Fixture.hotpLink)
        await model.confirmLink()
        XCTAssertEqual(model.step, .start)
        XCTAssertEqual(Set(model.fieldErrors.keys), [.link], "otpauth links add, never reactivate")

        model.choose(.type)
        model.serial = replacement.serial
        model.activation = replacement.activationCode
        await model.submitActivation()
        guard case let .showRegistrationCode(name, registration) = model.step else {
            return XCTFail("expected the registration code, got \(model.step)")
        }
        XCTAssertEqual(name, "University", "the identity keeps its name")
        await model.finish()
        let reactivated = try done(model.step).identity
        XCTAssertEqual(reactivated.id, identity.id)
        XCTAssertEqual(reactivated.serial, replacement.serial)
        XCTAssertEqual(reactivated.registrationCode, registration)
        XCTAssertEqual(reactivated.address, Fixture.address, "the address is kept")
        XCTAssertEqual(try session.identities().map(\.id), [fixture.id, identity.id])

        let code = try session.codeAt(identityId: identity.id, unixTime: Fixture.time)
        XCTAssertEqual(
            code.code,
            try identityguardCode(
                serial: replacement.serial, activation: replacement.activationCode,
                registration: registration, policy: nil, digits: 6, unixTime: Fixture.time))
        try issuer.complete(serial: replacement.serial, registrationCode: registration)
        XCTAssertEqual(
            try issuer.verify(serial: replacement.serial, code: code.code, unixTime: Fixture.time), 0)

        details.refresh()
        XCTAssertEqual(details.identity.serial, replacement.serial)
        XCTAssertEqual(details.name, "University")
    }
}
