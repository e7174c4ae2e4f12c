// The privacy cover as a window of its own, above every other window (alerts included), so the
// app switcher's snapshot shows no sheet: Add Identity with a pasted secret or an activation
// code, a registration code, a reactivation, a recovery key. A cover inside the root view would
// sit beneath the sheets. UIKit's scene notifications arrive before the snapshot is taken;
// TesseraKit's `PrivacyCover` decides when the cover is up, this only shows it.

import SwiftUI
import TesseraKit
import UIKit

/// Shows `PrivacyCoverView` in a window above alerts while the cover is up. Lives as long as
/// the app.
@MainActor
final class CoverWindow {
    private let cover = PrivacyCover()
    private var window: UIWindow?
    private var observers: [NSObjectProtocol] = []

    init() {
        let moves: [(Notification.Name, PrivacyCover.Activity)] = [
            (UIScene.willDeactivateNotification, .inactive),
            (UIScene.didEnterBackgroundNotification, .background),
            (UIScene.didActivateNotification, .active),
        ]
        // Posted on the main thread; `queue: .main` runs the block right away, before the
        // scene's snapshot.
        observers = moves.map { name, activity in
            NotificationCenter.default.addObserver(forName: name, object: nil, queue: .main) {
                [weak self] notification in
                let scene = notification.object as? UIWindowScene
                MainActor.assumeIsolated {
                    self?.scene(scene, movedTo: activity)
                }
            }
        }
    }

    private func scene(_ scene: UIWindowScene?, movedTo activity: PrivacyCover.Activity) {
        cover.sceneMoved(to: activity)
        if cover.isCovered {
            guard window == nil, let scene else { return }
            let window = UIWindow(windowScene: scene)
            window.windowLevel = .alert + 1
            window.rootViewController = UIHostingController(rootView: PrivacyCoverView())
            // Shown without becoming the key window: the focused field keeps its keyboard.
            window.isHidden = false
            self.window = window
        } else {
            window?.isHidden = true
            window = nil
        }
    }
}

/// What the app switcher shows in place of Tessera.
struct PrivacyCoverView: View {
    var body: some View {
        ZStack {
            Rectangle().fill(.background)
            Image(systemName: "lock.shield")
                .font(.system(size: 56))
                .foregroundStyle(.secondary)
                .accessibilityLabel("Tessera")
        }
        .ignoresSafeArea()
    }
}
