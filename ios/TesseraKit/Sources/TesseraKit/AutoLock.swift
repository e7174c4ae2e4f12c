// Locks the token when the app comes back after being away at least the settings' auto-lock
// delay (or as it leaves, when the delay is 0). The delay is read as the app leaves, while the
// token is still open.

import TesseraFFI

/// Auto-lock on leaving and returning to the foreground.
@MainActor
public final class AutoLock {
    private let token: Token
    private let timekeeper: Timekeeper
    private var away: (since: UInt64, delay: UInt32)?

    public init(token: Token, timekeeper: Timekeeper) {
        self.token = token
        self.timekeeper = timekeeper
    }

    /// The app left the foreground. Returns whether it locked the token (a delay of 0).
    @discardableResult
    public func movedToBackground() -> Bool {
        away = nil
        let delay: UInt32
        do {
            delay = try token.session.settings().autoLockSeconds
        } catch TokenError.NotUnlocked, TokenError.NoToken {
            return false
        } catch {
            // Settings that cannot be read are no reason to leave the token open.
            return lock()
        }
        if delay == 0 {
            return lock()
        }
        away = (timekeeper.now, delay)
        return false
    }

    /// The app is back in the foreground. Returns whether it locked the token (the app then
    /// shows the unlock screen).
    @discardableResult
    public func movedToForeground() -> Bool {
        defer { away = nil }
        guard let away, timekeeper.now - away.since >= UInt64(away.delay) else { return false }
        return lock()
    }

    private func lock() -> Bool {
        try? token.lock()
        return true
    }
}
