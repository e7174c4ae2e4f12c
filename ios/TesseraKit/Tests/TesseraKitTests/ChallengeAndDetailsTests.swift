// The challenge screen (responses the issuer accepts, grouped for reading, copied as typed) and
// the identity details screen (rename, remove after confirmation, the policy variant switch,
// checked against the IdentityGuard derivation with and without the policy).

import TesseraKit
import XCTest

@MainActor
final class ChallengeAndDetailsTests: XCTestCase {
    func testChallengeResponsesAreAcceptedByTheIssuer() async throws {
        let issuer = try makeIssuer(self)
        let issued = try issuer.create(
            name: "alice-bank", digits: 8, policy: nil, ocraSuite: "OCRA-1:HOTP-SHA256-8:QN08",
            address: nil)
        let (session, fixture, _) = try tokenWithTotp(try temporaryFolder(self))
        let (bank, _) = try addIssued(issued, to: session, issuer: issuer)
        XCTAssertTrue(bank.answersChallenges)
        let token = Token(session: session)
        let (copier, clipboard, timekeeper) = fakeCopier()
        let model = ChallengeViewModel(token: token, identity: bank, copier: copier)
        var changes = 0
        model.onChange = { changes += 1 }

        model.question = "12ab"
        model.submit()
        XCTAssertNil(model.response)
        XCTAssertEqual(model.error?.field, .challenge)
        XCTAssertGreaterThan(changes, 0)

        let question = try issuer.issueChallenge(serial: issued.serial, unixTime: Fixture.time)
        model.question = question
        model.submit()
        XCTAssertNil(model.error)
        let response = try XCTUnwrap(model.response)
        model.copy()
        let typed = try XCTUnwrap(clipboard.text)
        XCTAssertEqual(typed.count, 8)
        XCTAssertEqual(response, halves(typed), "grouped for reading")
        XCTAssertTrue(model.copied)
        XCTAssertNoThrow(
            try issuer.verifyResponse(
                serial: issued.serial, challenge: question, response: typed, unixTime: Fixture.time))
        timekeeper.advance(by: 30)
        XCTAssertNil(clipboard.text)
        XCTAssertFalse(model.copied)

        let totp = ChallengeViewModel(token: token, identity: fixture, copier: copier)
        totp.question = question
        totp.submit()
        XCTAssertEqual(
            totp.error,
            ShownError(
                TokenError.InvalidInput(
                    field: .challenge,
                    message:
                        "this identity does not answer challenges; type its current security code instead")))
        totp.copy()
        XCTAssertNil(clipboard.text, "no response, nothing copied")
    }

    func testDetailsRenameRemoveAfterConfirmationAndSwitchThePolicyVariant() async throws {
        let issuer = try makeIssuer(self)
        let policy = #"{"minDigits":6}"#
        let issued = try issuer.create(
            name: "Example University", digits: 6, policy: policy, ocraSuite: nil,
            address: Fixture.address)
        let (session, fixture, _) = try tokenWithTotp(try temporaryFolder(self))
        let (identity, registration) = try addIssued(issued, to: session, issuer: issuer)
        let token = Token(session: session)
        let model = IdentityDetailsViewModel(token: token, identity: identity, copier: fakeCopier().0)
        var changes = 0
        model.onChange = { changes += 1 }

        XCTAssertEqual(model.identity.kind, .identityGuard)
        XCTAssertEqual(model.identity.serial, issued.serial)
        XCTAssertEqual(model.identity.registrationCode, registration)
        XCTAssertEqual(model.identity.address, Fixture.address)
        XCTAssertEqual(model.name, "myid.example.edu", "named after the address the link carries")
        XCTAssertEqual(model.addedAt.timeIntervalSince1970, TimeInterval(identity.addedAt))

        // The policy variant: codes derived with the policy, then without.
        func derived(_ policy: String?) throws -> String {
            try identityguardCode(
                serial: issued.serial, activation: issued.activationCode, registration: registration,
                policy: policy, digits: 6, unixTime: Fixture.time)
        }
        XCTAssertEqual(model.identity.policyIncluded, true)
        XCTAssertTrue(model.identity.canSwitchPolicy)
        XCTAssertEqual(try session.codeAt(identityId: identity.id, unixTime: Fixture.time).code, try derived(policy))
        model.switchPolicyVariant()
        XCTAssertNil(model.error)
        XCTAssertEqual(model.identity.policyIncluded, false)
        XCTAssertEqual(try session.codeAt(identityId: identity.id, unixTime: Fixture.time).code, try derived(nil))

        let plain = IdentityDetailsViewModel(token: token, identity: fixture, copier: fakeCopier().0)
        plain.switchPolicyVariant()
        XCTAssertEqual(plain.error?.field, .policy, "a TOTP identity has no variant")

        model.name = fixture.name
        model.rename()
        XCTAssertEqual(model.error?.field, .name)
        XCTAssertEqual(model.identity.name, "myid.example.edu")
        model.name = "University"
        model.rename()
        XCTAssertNil(model.error)
        XCTAssertEqual(model.identity.name, "University")
        XCTAssertEqual(try session.identities()[1].name, "University")

        model.confirmRemove()
        XCTAssertFalse(model.isRemoved, "removing needs the confirmation first")
        model.requestRemove()
        XCTAssertTrue(model.isConfirmingRemove)
        model.cancelRemove()
        XCTAssertFalse(model.isConfirmingRemove)
        XCTAssertEqual(try session.identities().count, 2)
        model.requestRemove()
        model.confirmRemove()
        XCTAssertTrue(model.isRemoved)
        XCTAssertFalse(model.isConfirmingRemove)
        XCTAssertEqual(try session.identities(), [fixture])
        XCTAssertGreaterThan(changes, 5)

        try session.lock()
        plain.name = "Other"
        plain.rename()
        XCTAssertEqual(
            plain.error,
            ShownError(
                TokenError.NotUnlocked(message: "the token is locked: unlock it with your PIN first"),
                beside: .name),
            "beside the name field: it is the name that could not be saved")
    }
}
