// The app's own timekeeper: a clock that does not go back and actions that run on the main
// actor once due. (The screens' tests use manual time instead.)

import TesseraKit
import XCTest

@MainActor
final class TimekeeperTests: XCTestCase {
    func testTheSystemTimekeeperRunsDueActionsAndNeverGoesBack() async throws {
        let timekeeper = SystemTimekeeper()
        let start = timekeeper.now
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            timekeeper.after(seconds: 0) { continuation.resume() }
        }
        XCTAssertGreaterThanOrEqual(timekeeper.now, start)
    }
}
