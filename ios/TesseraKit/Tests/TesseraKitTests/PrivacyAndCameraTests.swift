// What the app switcher's snapshot shows (the cover, from the moment the scene resigns active
// until it is active again, whatever screen or sheet holds a secret), and the scan screen's
// camera: refused, restricted or missing cameras explained, nothing started once the view is
// gone.

import TesseraKit
import XCTest

@MainActor
final class PrivacyAndCameraTests: XCTestCase {
    func testTheCoverHidesTheAppFromResigningActiveUntilActiveAgain() async {
        let cover = PrivacyCover()
        var changes = 0
        cover.onChange = { changes += 1 }
        XCTAssertFalse(cover.isCovered)
        cover.sceneMoved(to: .active)
        XCTAssertEqual(changes, 0, "nothing to redraw")

        // Leaving: inactive first (the snapshot comes after), then the background.
        cover.sceneMoved(to: .inactive)
        XCTAssertTrue(cover.isCovered, "up before the snapshot is taken")
        cover.sceneMoved(to: .background)
        XCTAssertTrue(cover.isCovered)
        // Coming back passes through inactive: still covered until the app takes input.
        cover.sceneMoved(to: .inactive)
        XCTAssertTrue(cover.isCovered)
        cover.sceneMoved(to: .active)
        XCTAssertFalse(cover.isCovered)
        XCTAssertEqual(changes, 2, "one redraw to cover, one to uncover")

        // Control Center or a call over the app: covered without leaving.
        cover.sceneMoved(to: .inactive)
        XCTAssertTrue(cover.isCovered)
        cover.sceneMoved(to: .active)
        XCTAssertFalse(cover.isCovered)
    }

    func testSheetsWithSecretsAreCoveredAndKeepWhatWasTyped() async throws {
        let (session, _, _) = try tokenWithTotp(try temporaryFolder(self))
        let token = Token(session: session)
        let cover = PrivacyCover()
        // Add Identity as a sheet over the list: a pasted otpauth secret, and a second flow with
        // a typed serial number and activation code.
        let pasted = try AddIdentityViewModel(token: token, copier: fakeCopier().0)
        pasted.choose(.link)
        pasted.link = Fixture.hotpLink
        let typed = try AddIdentityViewModel(token: token, copier: fakeCopier().0)
        typed.choose(.type)
        typed.serial = Fixture.serial
        typed.activation = Fixture.activation
        // Settings with a new recovery key, shown only once.
        let settings = SettingsViewModel(token: token, copier: fakeCopier().0)
        settings.recoveryKeyPin = Fixture.pin
        await settings.makeRecoveryKey()
        let recoveryKey = try XCTUnwrap(settings.recoveryKey)

        cover.sceneMoved(to: .inactive)
        cover.sceneMoved(to: .background)
        XCTAssertTrue(cover.isCovered, "the snapshot shows the cover, not the sheets")
        cover.sceneMoved(to: .inactive)
        cover.sceneMoved(to: .active)

        XCTAssertEqual(pasted.link, Fixture.hotpLink, "nothing typed is lost to the cover")
        XCTAssertEqual([typed.serial, typed.activation], [Fixture.serial, Fixture.activation])
        XCTAssertEqual(settings.recoveryKey, recoveryKey, "the once-only key is still there")
    }

    func testAnAllowedCameraStartsWithWhateverDeviceIsFound() async {
        let camera = CameraViewModel()
        var changes = 0
        camera.onChange = { changes += 1 }
        XCTAssertEqual(camera.state, .starting)
        XCTAssertEqual(camera.authorization(.notDetermined), .ask, "first use: ask")
        XCTAssertEqual(camera.state, .starting)
        XCTAssertEqual(camera.authorization(.authorized), .findCamera)
        XCTAssertTrue(camera.cameraFound(true))
        XCTAssertEqual(camera.state, .running)
        XCTAssertGreaterThan(changes, 0)

        let none = CameraViewModel()
        XCTAssertEqual(none.authorization(.authorized), .findCamera)
        XCTAssertFalse(none.cameraFound(false))
        XCTAssertEqual(
            none.state,
            .unavailable(
                reason: "There is no camera Tessera can use on this device. Add the identity another way.",
                canOpenSettings: false))
    }

    func testARefusedOrBlockedCameraSaysWhyAndWhereToChangeIt() async {
        let denied = CameraViewModel()
        XCTAssertEqual(denied.authorization(.denied), .stop)
        guard case let .unavailable(reason, canOpenSettings) = denied.state else {
            return XCTFail("\(denied.state)")
        }
        XCTAssertTrue(reason.contains("Allow it in Settings"), reason)
        XCTAssertTrue(canOpenSettings, "the person can allow it there")

        // Also the person's answer "no" to the question.
        let refusedNow = CameraViewModel()
        XCTAssertEqual(refusedNow.authorization(.notDetermined), .ask)
        XCTAssertEqual(refusedNow.authorization(.denied), .stop)
        XCTAssertEqual(refusedNow.state, denied.state)

        let restricted = CameraViewModel()
        XCTAssertEqual(restricted.authorization(.restricted), .stop)
        guard case let .unavailable(blocked, settings) = restricted.state else {
            return XCTFail("\(restricted.state)")
        }
        XCTAssertTrue(blocked.contains("blocked on this device"), blocked)
        XCTAssertFalse(settings, "Settings cannot lift a restriction")
    }

    func testNothingStartsTheCameraOnceItsViewIsGone() async {
        let camera = CameraViewModel()
        XCTAssertEqual(camera.authorization(.notDetermined), .ask)
        camera.viewGone()
        // The person answers after leaving the screen.
        XCTAssertEqual(camera.authorization(.authorized), .stop)
        XCTAssertFalse(camera.cameraFound(true))
        XCTAssertEqual(camera.state, .starting, "nothing shown for a view that is gone")

        let running = CameraViewModel()
        XCTAssertEqual(running.authorization(.authorized), .findCamera)
        running.viewGone()
        XCTAssertFalse(running.cameraFound(true), "a device found late is not started")
    }
}
