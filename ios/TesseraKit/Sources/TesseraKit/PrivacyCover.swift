// The cover over the app while it is not the active one. iOS takes the app switcher's snapshot
// from whatever the app's windows show as it leaves, sheets and alerts included, and the screens
// must keep what they show (a recovery key appears only once, a half-typed activation code must
// still be there on return). So nothing is wiped: one cover is put above every window as soon
// as the scene resigns active (before the snapshot, and also under Control Center or a call),
// and taken away only when the scene is active again.

/// Whether the cover hides the app; the app puts a window above alerts while `isCovered`.
@MainActor
public final class PrivacyCover: ViewModel {
    /// Where the scene is, as the platform reports it.
    public enum Activity: Sendable {
        /// In front and taking input.
        case active
        /// Visible but not taking input (leaving, Control Center, a system alert over it).
        case inactive
        /// Not visible; the snapshot was taken from what the windows showed.
        case background
    }

    /// Whether the windows are hidden (what the app switcher's snapshot shows: the cover).
    public private(set) var isCovered = false {
        didSet {
            if isCovered != oldValue { changed() }
        }
    }

    /// The scene moved; anything but `active` covers the app.
    public func sceneMoved(to activity: Activity) {
        isCovered = activity != .active
    }
}
