// One session used from several tasks at once, and the ticking code stream.

import TesseraKit
import XCTest

final class ConcurrencyTests: XCTestCase {
    /// Two tasks share one session: one reads codes while the other adds, renames and removes
    /// identities and unlocks again (a KDF run). Every code read is the right one.
    func testTwoTasksUseOneSessionConcurrently() async throws {
        let (session, identity, _) = try tokenWithTotp(try temporaryFolder(self))
        let token = Token(session: session)
        let times = (0..<200).map { Fixture.time + UInt64($0) * 7 }
        let expected = try times.map {
            try totpCode(
                secretText: "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU", algorithm: .sha1, digits: 6,
                period: 30, unixTime: $0)
        }

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for (time, code) in zip(times, expected) {
                    let shown = try session.codeAt(identityId: identity.id, unixTime: time)
                    XCTAssertEqual(shown.code, code, "t = \(time)")
                }
            }
            group.addTask {
                for round in 0..<5 {
                    let flow = try token.addIdentity()
                    let added = try done(try await flow.enterLink(Fixture.hotpLink)).identity
                    _ = try session.rename(identityId: added.id, newName: "counter \(round)")
                    _ = try await token.unlock(pin: Fixture.pin)
                    try session.remove(identityId: added.id)
                }
            }
            try await group.waitForAll()
        }
        XCTAssertEqual(try session.identities().map(\.id), [identity.id])
    }

    /// Unlocks at once through the facade: concurrent wrong PINs are each counted (no try is
    /// lost), concurrent right ones all succeed.
    func testConcurrentUnlocksThroughTheFacade() async throws {
        let (session, _, _) = try tokenWithTotp(try temporaryFolder(self))
        try session.lock()
        let token = Token(session: session)

        let left = try await withThrowingTaskGroup(of: UInt32.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    do {
                        _ = try await token.unlock(pin: Fixture.wrongPin)
                        return 99
                    } catch let TokenError.WrongPin(attemptsLeft, _) {
                        return attemptsLeft
                    }
                }
            }
            return try await group.reduce(into: Set<UInt32>()) { $0.insert($1) }
        }
        XCTAssertEqual(left, [4, 3, 2])
        XCTAssertEqual(try session.status(), .needsPin(attemptsLeft: 2))

        try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<3 {
                group.addTask { try await token.unlock(pin: Fixture.pin) }
            }
            for try await notice in group {
                XCTAssertNil(notice)
            }
        }
        XCTAssertEqual(try session.status(), .unlocked)
        try token.lock()
        XCTAssertEqual(try session.status(), .needsPin(attemptsLeft: 5), "success reset the count")
    }

    /// The stream ticks the code with the seconds left going down, then across the period
    /// boundary to the next code.
    func testTheCodeStreamTicks() async throws {
        let (session, identity, _) = try tokenWithTotp(try temporaryFolder(self))
        let token = Token(session: session)
        let start = Fixture.time - Fixture.time % 30 + 26  // 4 seconds before the next period
        let clock = FakeClock(start)
        var seen: [CodeView] = []
        for try await code in token.codes(of: identity.id, every: .milliseconds(5), at: { clock.next() }) {
            seen.append(code)
            if seen.count == 6 { break }
        }
        XCTAssertEqual(seen.map(\.secondsLeft), [4, 3, 2, 1, 30, 29])
        XCTAssertEqual(Set(seen[0..<4].map(\.code)).count, 1, "one code within a period")
        XCTAssertNotEqual(seen[3].code, seen[4].code, "a new code in the next period")
        for (offset, code) in seen.enumerated() {
            XCTAssertEqual(
                code, try session.codeAt(identityId: identity.id, unixTime: start + UInt64(offset)))
        }
    }

    /// With the token's own clock the stream still ticks (one real second apart).
    func testTheCodeStreamOnTheTokensClock() async throws {
        let (session, identity, _) = try tokenWithTotp(try temporaryFolder(self))
        let token = Token(session: session)
        var seen: [CodeView] = []
        for try await code in token.codes(of: identity.id, every: .milliseconds(1_000)) {
            seen.append(code)
            if seen.count == 2 { break }
        }
        let (first, second) = (seen[0], seen[1])
        let firstLeft = try XCTUnwrap(first.secondsLeft)
        let secondLeft = try XCTUnwrap(second.secondsLeft)
        if first.validFrom == second.validFrom {
            XCTAssertLessThan(secondLeft, firstLeft)
            XCTAssertEqual(first.code, second.code)
        } else {
            XCTAssertEqual(second.validFrom, first.validUntil, "the next period")
        }
        let now = UInt64(Date().timeIntervalSince1970)
        XCTAssertLessThanOrEqual(try XCTUnwrap(second.validFrom), now)
    }

    /// A counter-based code is sent once (each one uses up a counter value) and the stream ends;
    /// an unknown identity ends the stream with the error.
    func testTheCodeStreamSendsCounterCodesOnceAndEndsOnErrors() async throws {
        let (session, _, _) = try tokenWithTotp(try temporaryFolder(self))
        let counter = try done(try session.addIdentity().enterLink(link: Fixture.hotpLink)).identity
        let token = Token(session: session)
        var seen: [CodeView] = []
        for try await code in token.codes(of: counter.id, every: .milliseconds(1)) {
            seen.append(code)
        }
        XCTAssertEqual(seen.map(\.counter), [0])
        XCTAssertEqual(try session.code(identityId: counter.id).counter, 1, "only one value used")

        var failure: Error?
        do {
            for try await _ in token.codes(of: "gone", every: .milliseconds(1)) {}
        } catch {
            failure = error
        }
        XCTAssertEqual(failure as? TokenError, .NotFound(message: #"no identity is called "gone""#))
    }
}

/// A clock that moves one second each time it is read.
final class FakeClock: @unchecked Sendable {
    private let lock = NSLock()
    private var now: UInt64

    init(_ start: UInt64) {
        now = start
    }

    func next() -> UInt64 {
        lock.withLock {
            defer { now += 1 }
            return now
        }
    }
}
