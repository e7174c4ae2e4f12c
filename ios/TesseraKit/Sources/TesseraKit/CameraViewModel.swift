// The scan screen's camera: whether it may run, and what the screen says in its place when it
// may not (the person refused it, the device restricts it, or there is no camera). The app
// reports what AVFoundation answers and starts the camera only when this says so; once the scan
// view is gone nothing starts it again, whatever answer arrives late.

/// The scan area's state.
@MainActor
public final class CameraViewModel: ViewModel {
    /// The person's or the device's answer about the camera, as the platform reports it.
    public enum Authorization: Sendable {
        /// Not asked yet.
        case notDetermined
        /// Allowed.
        case authorized
        /// Refused by the person (they can allow it in Settings).
        case denied
        /// Blocked by the device (Screen Time, device management): the person cannot allow it.
        case restricted
    }

    /// What the scan area shows.
    public enum State: Equatable, Sendable {
        /// Waiting for the person's answer or for the camera.
        case starting
        /// The preview runs; frames go to `AddIdentityViewModel.scanFrame`.
        case running
        /// No camera: `reason` says why; `canOpenSettings` when the person can allow it there.
        case unavailable(reason: String, canOpenSettings: Bool)
    }

    /// What the app does next.
    public enum Next: Equatable, Sendable {
        /// Ask the person (the answer goes to `authorization` again).
        case ask
        /// Look for a camera (the result goes to `cameraFound`).
        case findCamera
        /// Nothing: the camera stays off.
        case stop
    }

    /// Shown when the person refused the camera.
    public static let deniedReason =
        "Tessera may not use the camera. Allow it in Settings to scan the QR code, or add the identity another way."
    /// Shown when the device does not let anyone allow the camera.
    public static let restrictedReason =
        "The camera is blocked on this device (Screen Time or your organisation's settings). Add the identity another way."
    /// Shown when there is no camera to use.
    public static let noCameraReason =
        "There is no camera Tessera can use on this device. Add the identity another way."

    /// What the scan area shows.
    public private(set) var state = State.starting {
        didSet { changed() }
    }
    private var isGone = false

    /// The camera authorisation as it stands (also the person's answer to the question).
    public func authorization(_ answer: Authorization) -> Next {
        guard !isGone else { return .stop }
        switch answer {
        case .notDetermined:
            return .ask
        case .authorized:
            return .findCamera
        case .denied:
            state = .unavailable(reason: Self.deniedReason, canOpenSettings: true)
        case .restricted:
            state = .unavailable(reason: Self.restrictedReason, canOpenSettings: false)
        }
        return .stop
    }

    /// Whether a video device was found (the rear camera, else any); returns whether to start it.
    public func cameraFound(_ found: Bool) -> Bool {
        guard !isGone else { return false }
        state = found ? .running : .unavailable(reason: Self.noCameraReason, canOpenSettings: false)
        return found
    }

    /// The scan view left the screen: the camera stops and is never started again.
    public func viewGone() {
        isGone = true
    }
}
