// Time as the screens need it: how long the app was away (auto-lock) and actions that run
// later (clearing a copied code). Injected, so tests move time by hand instead of sleeping.

/// A clock that never goes back and keeps counting while the device sleeps, and delayed actions.
@MainActor
public protocol Timekeeper: AnyObject {
    /// Seconds since a fixed moment (not the time of day: changing the device's clock does not
    /// move it).
    var now: UInt64 { get }
    /// Runs `action` on the main actor `seconds` from now, unless cancelled first.
    @discardableResult
    func after(seconds: UInt64, _ action: @escaping @MainActor @Sendable () -> Void)
        -> ScheduledAction
}

/// An action a `Timekeeper` will run later.
@MainActor
public protocol ScheduledAction: AnyObject {
    /// Keeps it from running (nothing happens if it already ran).
    func cancel()
}

/// The device's own time: `ContinuousClock` (it counts while the device sleeps) and tasks that
/// sleep on it.
@MainActor
public final class SystemTimekeeper: Timekeeper {
    private let start = ContinuousClock.now

    public init() {}

    public var now: UInt64 {
        UInt64(max(0, (ContinuousClock.now - start).components.seconds))
    }

    @discardableResult
    public func after(seconds: UInt64, _ action: @escaping @MainActor @Sendable () -> Void)
        -> ScheduledAction
    {
        SleepingTask(
            Task { @MainActor in
                do {
                    try await Task.sleep(for: .seconds(seconds))
                } catch {
                    return
                }
                action()
            })
    }
}

/// A task asleep until its action is due.
@MainActor
private final class SleepingTask: ScheduledAction {
    private let task: Task<Void, Never>

    init(_ task: Task<Void, Never>) {
        self.task = task
    }

    func cancel() {
        task.cancel()
    }
}
