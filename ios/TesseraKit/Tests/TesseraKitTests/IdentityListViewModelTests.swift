// The identity list: codes hidden until tapped, grouped digits, the countdown share, the next
// code in a code's last seconds, copy with clearing after 30 s (manual time, no sleeping), and
// counter-based codes made only on a tap. Codes are checked against the RFC 6238 calculation
// with the fixture's secret.

import TesseraKit
import XCTest

@MainActor
final class IdentityListViewModelTests: XCTestCase {
    private let secret = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"

    private func totp(_ time: UInt64) throws -> String {
        try totpCode(secretText: secret, algorithm: .sha1, digits: 6, period: 30, unixTime: time)
    }

    func testTapRevealsTicksAndShowsTheNextCodeNearTheEnd() async throws {
        let (session, totp, _) = try tokenWithTotp(try temporaryFolder(self))
        // 6 seconds before the next period: the next code appears one tick later.
        let start = Fixture.time - Fixture.time % 30 + 24
        let clock = FakeClock(start)
        let model = IdentityListViewModel(
            token: Token(session: session), copier: fakeCopier().0, time: { clock.next() })
        var changes = 0
        model.onChange = { changes += 1 }

        model.refresh()
        XCTAssertEqual(model.rows.map(\.id), [totp.id])
        XCTAssertNil(model.rows[0].code, "codes stay hidden until tapped")
        XCTAssertFalse(model.rows[0].isRevealed)
        XCTAssertNil(model.rows[0].remaining)
        model.tick()
        XCTAssertNil(model.rows[0].code, "ticking reveals nothing")

        model.tap(totp.id)
        let first = try XCTUnwrap(model.rows[0].code)
        XCTAssertTrue(model.rows[0].isRevealed)
        XCTAssertEqual(first.code, try self.totp(start))
        XCTAssertEqual(first.grouped, halves(first.code))
        XCTAssertEqual(first.secondsLeft, 6)
        XCTAssertEqual(model.rows[0].remaining, 6.0 / 30.0)
        XCTAssertNil(model.rows[0].nextCode, "6 seconds left: no next code yet")

        model.tick()
        XCTAssertEqual(model.rows[0].code?.secondsLeft, 5)
        XCTAssertEqual(model.rows[0].code?.code, first.code, "one code within a period")
        XCTAssertEqual(model.rows[0].remaining, 5.0 / 30.0)
        let next = try XCTUnwrap(model.rows[0].nextCode, "5 seconds left: the next code shows")
        XCTAssertEqual(next.code, try self.totp(start + 6))
        XCTAssertEqual(next.validFrom, start + 6)
        XCTAssertEqual(next.grouped, halves(next.code))

        for _ in 0..<5 {
            model.tick()
        }
        XCTAssertEqual(model.rows[0].code?.code, next.code, "the next period's code")
        XCTAssertEqual(model.rows[0].code?.secondsLeft, 30)
        XCTAssertEqual(model.rows[0].remaining, 1.0)
        XCTAssertNil(model.rows[0].nextCode)

        model.tap(totp.id)
        XCTAssertNil(model.rows[0].code, "a second tap hides the code")
        model.tick()
        XCTAssertNil(model.rows[0].code)
        XCTAssertGreaterThan(changes, 5)
    }

    func testCopyClearsTheClipboardAfterThirtySecondsIfItStillHoldsTheCode() async throws {
        let (session, totp, _) = try tokenWithTotp(try temporaryFolder(self))
        let (copier, clipboard, timekeeper) = fakeCopier()
        let model = IdentityListViewModel(
            token: Token(session: session), copier: copier, time: { Fixture.time })
        model.refresh()

        model.copy(totp.id)
        let code = try self.totp(Fixture.time)
        XCTAssertEqual(clipboard.text, code, "copied as typed, without the space")
        XCTAssertEqual(model.rows[0].code?.code, code, "copying shows the code too")
        XCTAssertEqual(model.copied, totp.id)
        timekeeper.advance(by: 29)
        XCTAssertEqual(clipboard.text, code)
        XCTAssertEqual(model.copied, totp.id)
        timekeeper.advance(by: 1)
        XCTAssertNil(clipboard.text, "cleared after 30 s")
        XCTAssertNil(model.copied)

        // Something else copied meanwhile stays.
        model.copy(totp.id)
        clipboard.text = "a note from another app"
        timekeeper.advance(by: 30)
        XCTAssertEqual(clipboard.text, "a note from another app")
        XCTAssertNil(model.copied)

        // A second copy restarts the 30 s.
        model.copy(totp.id)
        timekeeper.advance(by: 20)
        model.copy(totp.id)
        timekeeper.advance(by: 20)
        XCTAssertEqual(clipboard.text, code, "40 s after the first copy, 20 after the second")
        timekeeper.advance(by: 10)
        XCTAssertNil(clipboard.text)
        XCTAssertEqual(timekeeper.waiting, 0)
    }

    func testCounterCodesAreMadeOnlyOnATapAndStayUntilHidden() async throws {
        let (session, totp, _) = try tokenWithTotp(try temporaryFolder(self))
        let hotp = try done(try session.addIdentity().enterLink(link: Fixture.hotpLink)).identity
        let model = IdentityListViewModel(
            token: Token(session: session), copier: fakeCopier().0, time: { Fixture.time })
        model.refresh()
        XCTAssertEqual(model.rows.map(\.id), [totp.id, hotp.id])
        XCTAssertNil(model.rows[1].code)

        model.tap(hotp.id)
        // RFC 4226 with the fixture's HOTP secret ("abcdefghijklmnopqrst"), counter 0.
        let expected = try hotpCode(
            secretText: "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U", counter: 0, algorithm: .sha1, digits: 6)
        XCTAssertEqual(model.rows[1].code?.code, expected)
        XCTAssertEqual(model.rows[1].code?.counter, 0)
        XCTAssertNil(model.rows[1].remaining, "no countdown for a counter code")
        XCTAssertNil(model.rows[1].nextCode)
        model.tick()
        model.refresh()
        XCTAssertEqual(model.rows[1].code?.counter, 0, "ticks and refreshes use no counter value")

        model.rename(hotp.id, to: totp.name)
        XCTAssertEqual(model.error?.field, .name)
        model.rename(hotp.id, to: "Counter")
        XCTAssertNil(model.error)
        XCTAssertEqual(model.rows[1].identity.name, "Counter")
        XCTAssertEqual(model.rows[1].code?.counter, 0, "a revealed code stays shown")

        model.tap(hotp.id)
        model.tap(hotp.id)
        XCTAssertEqual(model.rows[1].code?.counter, 1, "each reveal uses the next counter value")

        model.remove(hotp.id)
        XCTAssertEqual(model.rows.map(\.id), [totp.id])
        model.lock()
        XCTAssertEqual(model.rows, [])
        model.refresh()
        XCTAssertEqual(model.error?.message, "the token is locked: unlock it with your PIN first")
        model.tap(totp.id)
        XCTAssertEqual(model.rows, [], "nothing to reveal on a locked token")
    }
}
