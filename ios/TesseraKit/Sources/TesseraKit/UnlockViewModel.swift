// The unlock screen: PIN entry, and when locked out, the reset code with the unlock-code and
// recovery-key forms. What to show comes from the token's state; messages from the core.

import TesseraFFI

/// The unlock screen's state.
@MainActor
public final class UnlockViewModel: ViewModel {
    /// What to show, as the token reports it (`nil` before the first `refresh`).
    public private(set) var state: TokenStatus? {
        didSet { changed() }
    }
    /// The last refusal, with the field it belongs beside.
    public private(set) var error: ShownError? {
        didSet { changed() }
    }
    /// A notice from a successful unlock (a damaged file was replaced by its previous copy).
    public private(set) var notice: String? {
        didSet { changed() }
    }
    /// While a key derivation runs: disable the buttons.
    public private(set) var isWorking = false {
        didSet { changed() }
    }

    /// The PIN field.
    public var pin = "" {
        didSet { changed() }
    }
    /// The unlock code the help desk answered with.
    public var unlockCode = "" {
        didSet { changed() }
    }
    /// The recovery key written down when the token was made.
    public var recoveryKey = "" {
        didSet { changed() }
    }
    /// The new PIN set after an unlock code or the recovery key.
    public var newPin = "" {
        didSet { changed() }
    }

    private let token: Token

    public init(token: Token) {
        self.token = token
        super.init()
    }

    /// Reads the token's state again (never counts a PIN try).
    public func refresh() {
        do {
            state = try token.session.status()
        } catch {
            self.error = ShownError(error)
        }
    }

    /// Tries the PIN in `pin`; the field is cleared whatever the outcome.
    public func submitPin() async {
        let pin = self.pin
        self.pin = ""
        await run { try await $0.unlock(pin: pin) }
    }

    /// Tries `unlockCode` and sets `newPin`.
    public func submitUnlockCode() async {
        let (code, newPin) = (unlockCode, self.newPin)
        self.newPin = ""
        await run {
            try await $0.unlock(unlockCode: code, newPin: newPin)
            return nil
        }
        if error == nil {
            unlockCode = ""
        }
    }

    /// Tries `recoveryKey` and sets `newPin`.
    public func submitRecoveryKey() async {
        let (key, newPin) = (recoveryKey, self.newPin)
        self.newPin = ""
        await run {
            try await $0.unlock(recoveryKey: key, newPin: newPin)
            return nil
        }
        if error == nil {
            recoveryKey = ""
        }
    }

    /// One unlock attempt at a time; the state is read again afterwards, whatever happened.
    private func run(_ attempt: (Token) async throws -> String?) async {
        guard !isWorking else { return }
        isWorking = true
        defer { isWorking = false }
        do {
            notice = try await attempt(token)
            error = nil
        } catch {
            self.error = ShownError(error)
        }
        refresh()
    }
}
