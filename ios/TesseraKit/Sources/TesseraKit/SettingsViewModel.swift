// The settings screen: change the PIN (current, new, and the new one again: the core compares
// them), the time offset for time-based codes and how long the app may stay in the background
// before it locks (both saved as soon as they change: a value left in a field is never lost), the wrong PINs that lock the token, whether unlock codes may open a locked
// token, and a new recovery key (shown once, copied only through the copier). The last three weaken what protects the token, so
// the core checks the PIN again for each.

import TesseraFFI

/// The settings screen's state.
@MainActor
public final class SettingsViewModel: ViewModel {
    /// The settings as last read (`nil` before `refresh`, or while the token is locked).
    public private(set) var settings: SettingsView? {
        didSet { changed() }
    }
    /// Refusals by field: `.currentPin` (a wrong current PIN), `.newPin`, `.confirmPin`,
    /// `.timeOffset`, `.autoLock`, `.lockoutThreshold`, and `.lockoutPin`, `.recoveryKeyPin` and
    /// `.unlockCodes` (a wrong PIN for those three changes); cleared by the next try.
    public private(set) var fieldErrors: [InputField: String] = [:] {
        didSet { changed() }
    }
    /// A refusal about the screen as a whole (a locked token...).
    public private(set) var error: String? {
        didSet { changed() }
    }
    /// Set after the PIN was changed, until the next change of the PIN fields' section.
    public private(set) var pinChanged = false {
        didSet { changed() }
    }
    /// A new recovery key, shown once: `dismissRecoveryKey` forgets it.
    public private(set) var recoveryKey: String? {
        didSet { changed() }
    }
    /// Whether the recovery key is on the clipboard.
    public private(set) var recoveryKeyCopied = false {
        didSet { changed() }
    }
    /// While a PIN is being checked (a key derivation): disable the buttons.
    public private(set) var isWorking = false {
        didSet { changed() }
    }

    /// The current PIN.
    public var currentPin = "" {
        didSet { changed() }
    }
    /// The new PIN.
    public var newPin = "" {
        didSet { changed() }
    }
    /// The new PIN, again.
    public var confirmPin = "" {
        didSet { changed() }
    }
    /// Seconds added to the clock for time-based codes; saved as soon as it differs from the
    /// saved value (a refusal shows beside `.timeOffset`).
    public var timeOffset: Int64 = 0 {
        didSet {
            changed()
            if settings?.timeOffsetSeconds != timeOffset {
                saveTimeOffset()
            }
        }
    }
    /// Seconds in the background before the app locks (0: at once); saved as soon as it
    /// differs from the saved value (a refusal shows beside `.autoLock`).
    public var autoLockSeconds: UInt32 = 0 {
        didSet {
            changed()
            if settings?.autoLockSeconds != autoLockSeconds {
                saveAutoLock()
            }
        }
    }
    /// Wrong PINs in a row that lock the token.
    public var lockoutThreshold: UInt32 = 0 {
        didSet { changed() }
    }
    /// The PIN, asked again before the lockout threshold changes.
    public var lockoutPin = "" {
        didSet { changed() }
    }
    /// The PIN, asked again before a new recovery key is made.
    public var recoveryKeyPin = "" {
        didSet { changed() }
    }
    /// Whether unlock codes may open a locked token, as last read.
    public private(set) var unlockCodes = true {
        didSet { changed() }
    }

    private let token: Token
    private let copier: Copier

    public init(token: Token, copier: Copier) {
        self.token = token
        self.copier = copier
        super.init()
    }

    /// Reads the settings again into the fields.
    public func refresh() {
        do {
            let current = try token.session.settings()
            settings = current
            timeOffset = current.timeOffsetSeconds
            autoLockSeconds = current.autoLockSeconds
            lockoutThreshold = current.lockoutThreshold
            unlockCodes = current.unlockCodes
            error = nil
        } catch {
            settings = nil
            self.error = ShownError(error).message
        }
    }

    /// Changes the PIN; the fields are cleared whatever the outcome.
    public func changePin() async {
        guard !isWorking else { return }
        let (current, new, again) = (currentPin, newPin, confirmPin)
        (currentPin, newPin, confirmPin) = ("", "", "")
        isWorking = true
        defer { isWorking = false }
        clearErrors()
        pinChanged = false
        do {
            try await token.changePin(current: current, new: new, confirmation: again)
            pinChanged = true
        } catch {
            record(ShownError(error, beside: .currentPin))
        }
    }

    /// Saves `timeOffset` (again, after a refusal).
    public func saveTimeOffset() {
        let seconds = timeOffset
        save(.timeOffset) { try $0.setTimeOffset(seconds: seconds) }
    }

    /// Saves `autoLockSeconds` (again, after a refusal).
    public func saveAutoLock() {
        let seconds = autoLockSeconds
        save(.autoLock) { try $0.setAutoLockSeconds(seconds: seconds) }
    }

    /// Saves `lockoutThreshold` once the core has checked `lockoutPin` again (a wrong one counts
    /// as a try); the PIN field is cleared whatever the outcome.
    public func saveLockoutThreshold() async {
        guard !isWorking else { return }
        let (attempts, pin) = (lockoutThreshold, lockoutPin)
        lockoutPin = ""
        await checkingPin(beside: .lockoutPin) {
            try await $0.setLockoutThreshold(attempts, pin: pin)
        }
    }

    /// Turns unlock codes on or off once the core has checked `pin` again (a wrong one counts as
    /// a try and is shown beside `.unlockCodes`). Off: a locked token shows no reset code, and
    /// only the recovery key opens it.
    public func setUnlockCodes(_ enabled: Bool, pin: String) async {
        await checkingPin(beside: .unlockCodes) {
            try await $0.setUnlockCodes(enabled, pin: pin)
        }
    }

    /// Makes a new recovery key (the earlier one stops working) and shows it once, after the
    /// core has checked `recoveryKeyPin` again (a wrong one counts as a try); the PIN field is
    /// cleared whatever the outcome.
    public func makeRecoveryKey() async {
        guard !isWorking else { return }
        let pin = recoveryKeyPin
        recoveryKeyPin = ""
        await checkingPin(beside: .recoveryKeyPin) {
            self.recoveryKey = try await $0.exportNewRecoveryKey(pin: pin)
        }
    }

    /// Copies the recovery key (cleared from the clipboard later, like a code).
    public func copyRecoveryKey() {
        guard let recoveryKey else { return }
        recoveryKeyCopied = true
        copier.copy(recoveryKey) { [weak self] in
            self?.recoveryKeyCopied = false
        }
    }

    /// The person wrote the recovery key down.
    public func dismissRecoveryKey() {
        recoveryKey = nil
    }

    /// Runs a change the core makes only after checking the PIN again (slow: off the main
    /// thread, one at a time), then reads the settings back; a refusal is shown beside `field`.
    private func checkingPin(beside field: InputField, _ change: (Token) async throws -> Void) async {
        guard !isWorking else { return }
        isWorking = true
        defer { isWorking = false }
        clearErrors()
        do {
            try await change(token)
            refresh()
        } catch {
            record(ShownError(error, beside: field))
        }
    }

    private func save(_ field: InputField, _ action: (TokenSession) throws -> Void) {
        clearErrors()
        do {
            try action(token.session)
            refresh()
        } catch {
            record(ShownError(error, beside: field))
        }
    }

    private func clearErrors() {
        fieldErrors = [:]
        error = nil
    }

    private func record(_ shown: ShownError) {
        if let field = shown.field {
            fieldErrors[field] = shown.message
        } else {
            error = shown.message
        }
    }
}
