// Test doubles for what the screens get from the platform: a clipboard and a timekeeper whose
// time moves only when a test says so. Also an issuer-made IdentityGuard identity on a token.

import TesseraKit
import XCTest

/// A clipboard holding one text.
@MainActor
final class FakeClipboard: Clipboard {
    /// What is on it (set it to stand for another app's copy).
    var text: String?

    func copy(_ text: String) {
        self.text = text
    }

    func holds(_ text: String) -> Bool {
        self.text == text
    }

    func clear() {
        text = nil
    }
}

/// Time that moves only through `advance(by:)`, which runs the actions falling due, in order.
@MainActor
final class ManualTimekeeper: Timekeeper {
    private final class Entry: ScheduledAction {
        let due: UInt64
        let action: @MainActor @Sendable () -> Void
        var cancelled = false

        init(due: UInt64, action: @escaping @MainActor @Sendable () -> Void) {
            self.due = due
            self.action = action
        }

        func cancel() {
            cancelled = true
        }
    }

    private(set) var now: UInt64 = 1_000
    private var entries: [Entry] = []

    @discardableResult
    func after(seconds: UInt64, _ action: @escaping @MainActor @Sendable () -> Void)
        -> ScheduledAction
    {
        let entry = Entry(due: now + seconds, action: action)
        entries.append(entry)
        return entry
    }

    func advance(by seconds: UInt64) {
        let end = now + seconds
        while let next = entries.filter({ !$0.cancelled && $0.due <= end }).min(by: { $0.due < $1.due }) {
            entries.removeAll { $0 === next }
            now = next.due
            next.action()
        }
        entries.removeAll { $0.cancelled }
        now = end
    }

    /// Actions still waiting.
    var waiting: Int {
        entries.filter { !$0.cancelled }.count
    }
}

/// A copier over a fake clipboard and manual time.
@MainActor
func fakeCopier() -> (Copier, FakeClipboard, ManualTimekeeper) {
    let clipboard = FakeClipboard()
    let timekeeper = ManualTimekeeper()
    return (Copier(clipboard: clipboard, timekeeper: timekeeper), clipboard, timekeeper)
}

/// An issuer in a fresh folder.
func makeIssuer(_ test: XCTestCase) throws -> Issuer {
    try Issuer.open(folder: try temporaryFolder(test), passphrase: "correct horse battery staple")
}

/// Adds `issued` to the unlocked (or new) token through its link and password, completes the
/// registration with the issuer, and returns the identity and the registration code shown.
func addIssued(
    _ issued: IssuedIdentity, to session: TokenSession, issuer: Issuer,
    file: StaticString = #filePath, line: UInt = #line
) throws -> (identity: IdentitySummary, registration: String) {
    let flow = try session.addIdentity()
    XCTAssertEqual(try flow.enterLink(link: issued.link), .needsPassword, file: file, line: line)
    var step = try flow.enterPassword(password: issued.password)
    if step == .needsPin {
        XCTAssertEqual(try flow.setPin(pin: Fixture.pin), .confirmPin, file: file, line: line)
        step = try flow.confirmPin(pin: Fixture.pin)
    }
    guard case let .showRegistrationCode(_, registration) = step else {
        XCTFail("expected the registration code, got \(step)", file: file, line: line)
        throw TestFailure.unexpectedStep(step)
    }
    try issuer.complete(serial: issued.serial, registrationCode: registration)
    return (try done(try flow.finish(), file: file, line: line).identity, registration)
}

/// "123456" as "123 456", "12345678" as "1234 5678": two halves, as the token groups codes of
/// six and eight digits.
func halves(_ code: String) -> String {
    "\(code.prefix(code.count / 2)) \(code.suffix(code.count - code.count / 2))"
}
