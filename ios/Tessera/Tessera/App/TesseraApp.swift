// The app: one token in the protected vault folder, sealed by the Secure Enclave; the screen
// for the token's state; auto-lock on the scene phase; a cover window above every window,
// sheets and alerts included, whenever the app is not active (so the app switcher's snapshot
// shows no code or secret, see Platform/CoverWindow.swift); links opened from outside go to Add
// Identity, which asks for confirmation first.

import SwiftUI
import TesseraKit

@main
struct TesseraApp: App {
    @Environment(\.scenePhase) private var scenePhase
    @StateObject private var app = AppModel()

    var body: some Scene {
        WindowGroup {
            Group {
                switch app.opened {
                case let .success(token):
                    RootView(app: app, token: token)
                case let .failure(error):
                    ContentUnavailable(title: "Tessera cannot open its token", message: error)
                }
            }
            .onOpenURL { app.pendingLink = $0.absoluteString }
        }
        .onChange(of: scenePhase) { phase in
            switch phase {
            case .background:
                app.movedToBackground()
            case .active:
                app.movedToForeground()
            default:
                break
            }
        }
    }
}

/// What the whole app shares: the token and the platform services the screens get.
@MainActor
final class AppModel: ObservableObject {
    enum Opened {
        case success(Token)
        case failure(String)
    }

    let opened: Opened
    let timekeeper = SystemTimekeeper()
    let copier: Copier
    /// The cover above every window while the app is not active.
    private let coverWindow: CoverWindow
    /// A link opened from outside, until an Add Identity screen takes it.
    @Published var pendingLink: String?
    /// Bumped when auto-lock locked the token: the root reads the token's state again.
    @Published private(set) var lockCount = 0
    private var autoLock: AutoLock?

    init() {
        copier = Copier(clipboard: SystemPasteboard(), timekeeper: timekeeper)
        coverWindow = CoverWindow()
        let made = Result {
            try Token(folder: VaultFolder.prepare().path, protector: SecureEnclaveKeyProtector())
        }
        switch made {
        case let .success(token):
            opened = .success(token)
            autoLock = AutoLock(token: token, timekeeper: timekeeper)
        case let .failure(error):
            opened = .failure(ShownError(error).message)
        }
    }

    /// The opened link, handed over once.
    func takeLink() -> String? {
        defer { pendingLink = nil }
        return pendingLink
    }

    func movedToBackground() {
        if autoLock?.movedToBackground() == true {
            lockCount += 1
        }
    }

    func movedToForeground() {
        if autoLock?.movedToForeground() == true {
            lockCount += 1
        }
    }
}

/// A message in place of a screen.
struct ContentUnavailable: View {
    let title: String
    let message: String

    var body: some View {
        VStack(spacing: 12) {
            Text(title).font(.headline)
            Text(message).font(.body).foregroundStyle(.secondary).multilineTextAlignment(.center)
        }
        .padding()
    }
}
