// Copying a code: it goes on the clipboard and is taken off again after `clearAfterSeconds`,
// unless the person copied something else meanwhile.

/// The platform clipboard (UIPasteboard on iOS); a fake in tests.
@MainActor
public protocol Clipboard: AnyObject {
    /// Puts `text` on the clipboard, marked as sensitive (kept off other devices and clipboard
    /// history) where the platform allows it.
    func copy(_ text: String)
    /// Whether the clipboard still holds what `copy(text)` put there (false once anything else
    /// was copied).
    func holds(_ text: String) -> Bool
    /// Empties the clipboard.
    func clear()
}

/// Copies codes and clears them again.
@MainActor
public final class Copier {
    /// How long a copied code stays on the clipboard.
    public static let clearAfterSeconds: UInt64 = 30

    private let clipboard: Clipboard
    private let timekeeper: Timekeeper
    private var pending: ScheduledAction?

    public init(clipboard: Clipboard, timekeeper: Timekeeper) {
        self.clipboard = clipboard
        self.timekeeper = timekeeper
    }

    /// Copies `text`; `cleared` runs when its time on the clipboard is over. A later copy
    /// replaces it (and its `cleared`).
    public func copy(_ text: String, cleared: @escaping @MainActor @Sendable () -> Void = {}) {
        pending?.cancel()
        clipboard.copy(text)
        let clipboard = clipboard
        pending = timekeeper.after(seconds: Self.clearAfterSeconds) {
            if clipboard.holds(text) {
                clipboard.clear()
            }
            cleared()
        }
    }
}
