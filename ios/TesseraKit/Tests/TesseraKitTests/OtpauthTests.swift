// tests/vectors/otpauth.json through the Add Identity flow: valid links become identities with
// the expected fields and warnings; invalid ones are refused with the vector's exact message.

import TesseraKit
import XCTest

final class OtpauthTests: XCTestCase {
    func testValidLinksBecomeIdentitiesWithTheExpectedFields() throws {
        let cases = try Fixture.cases("otpauth.json", "valid")
        XCTAssertEqual(cases.count, 28)
        // One unlocked token; each link is added (no PIN step: the token exists), checked and
        // removed again, so links naming the same account do not collide.
        let (session, fixture, _) = try tokenWithTotp(try temporaryFolder(self))
        for c in cases {
            let name = try c.string("name")
            let uri = try c.string("uri")
            let expected = try XCTUnwrap(c["expected"] as? [String: Any], name)
            let flow = try session.addIdentity()
            let (identity, recoveryKey, warnings) = try done(try flow.enterLink(link: uri))
            XCTAssertNil(recoveryKey, name)

            let account = try expected.string("account")
            let issuer = expected.optionalString("issuer")
            XCTAssertEqual(identity.name, account.isEmpty ? issuer : account, name)
            XCTAssertEqual(identity.issuer, issuer, name)
            let kinds: [String: IdentityKindLabel] = ["totp": .totp, "hotp": .hotp, "steam": .steam]
            XCTAssertEqual(identity.kind, kinds[try expected.string("kind")], name)
            XCTAssertEqual(identity.digits.map(Int.init), try expected.int("digits"), name)
            if identity.kind == .totp {
                XCTAssertEqual(identity.period.map(Int.init), try expected.int("period"), name)
            }
            let expectedWarnings = (expected["warnings"] as? [[String: Any]] ?? [])
                .compactMap { $0["message"] as? String }
            XCTAssertEqual(warnings, expectedWarnings, name)

            XCTAssertEqual(try session.identities().map(\.id), [fixture.id, identity.id], name)
            try session.remove(identityId: identity.id)
        }
        XCTAssertEqual(try session.identities(), [fixture])
    }

    func testInvalidLinksAreRefusedWithTheVectorsMessage() throws {
        let cases = try Fixture.cases("otpauth.json", "invalid")
        XCTAssertEqual(cases.count, 27)
        // A folder without a token: links are checked before any PIN is asked for.
        let session = try TokenSession(folder: try temporaryFolder(self), protector: nil)
        let flow = try session.addIdentity()
        for c in cases {
            let name = try c.string("name")
            let error = try tokenError { try flow.enterLink(link: c.string("uri")) }
            guard case let .InvalidInput(field, message) = error else {
                XCTFail("\(name): expected InvalidInput, got \(error)")
                continue
            }
            XCTAssertEqual(field, .link, name)
            if try !c.string("uri").hasPrefix("otpauth") {
                // Not an otpauth link at all: the flow, which also takes igmobileotp:// links,
                // words this itself (the vector's words are the otpauth parser's).
                XCTAssertEqual(message, "the link must start with otpauth:// or igmobileotp://", name)
            } else {
                XCTAssertEqual(message, try c.string("error"), name)
            }
            XCTAssertEqual(try flow.step(), .start, "\(name): the flow stays at its step")
        }
        XCTAssertEqual(try session.status(), .noToken)
    }
}
