// The token a shell holds for its lifetime: the generated `TokenSession`, with the calls that
// run the PIN key derivation (about a quarter of a second) made `async` so no caller blocks the
// main thread. Everything else is the generated API, unchanged: this facade computes, checks
// and decides nothing.

import Dispatch
import Foundation
@_exported import TesseraFFI

/// The token stored in one folder. One per folder for the life of the app; safe to share
/// between tasks (the Rust side serializes calls).
public final class Token: Sendable {
    /// The generated session, for the quick calls (`state`, `identities`, `code`, `rename`...).
    public let session: TokenSession

    /// Opens (or prepares to create) the token in `folder`. `protector` is the device key
    /// (Secure Enclave on iOS); pass `nil` only where the platform has none.
    public init(folder: String, protector: KeyProtector?) throws {
        session = try TokenSession(folder: folder, protector: protector)
    }

    /// Wraps a session made elsewhere.
    public init(session: TokenSession) {
        self.session = session
    }

    /// Unlocks with the PIN. Returns a notice to show when a damaged vault file was replaced by
    /// its previous copy.
    public func unlock(pin: String) async throws -> String? {
        let session = session
        return try await offMainThread { try session.unlock(pin: pin) }
    }

    /// Opens a locked token with the organisation's unlock code and sets a new PIN.
    public func unlock(unlockCode: String, newPin: String) async throws {
        let session = session
        try await offMainThread { try session.unlockWithCode(unlockCode: unlockCode, newPin: newPin) }
    }

    /// Opens the token with its recovery key and sets a new PIN.
    public func unlock(recoveryKey: String, newPin: String) async throws {
        let session = session
        try await offMainThread {
            try session.unlockWithRecoveryKey(recoveryKey: recoveryKey, newPin: newPin)
        }
    }

    /// Changes the PIN (the current one is checked again).
    public func changePin(current: String, new: String) async throws {
        let session = session
        try await offMainThread { try session.changePin(currentPin: current, newPin: new) }
    }

    /// Changes the PIN when `confirmation` repeats `new` (the core compares them; error field
    /// `.confirmPin`, and `.newPin` for a new PIN that breaks a rule); the current one is checked
    /// again.
    public func changePin(current: String, new: String, confirmation: String) async throws {
        let session = session
        try await offMainThread {
            try session.changePinConfirmed(currentPin: current, newPin: new, confirmation: confirmation)
        }
    }

    /// Sets how many wrong PINs in a row lock the token (1 to 100; out of range: field
    /// `.lockoutThreshold`, checked first). `pin` is checked again: a wrong one counts as a try.
    public func setLockoutThreshold(_ attempts: UInt32, pin: String) async throws {
        let session = session
        try await offMainThread { try session.setLockoutThreshold(attempts: attempts, pin: pin) }
    }

    /// Turns unlock codes on or off (off removes the unlock slot: a locked token then shows no
    /// reset code). `pin` is checked again: a wrong one counts as a try.
    public func setUnlockCodes(_ enabled: Bool, pin: String) async throws {
        let session = session
        try await offMainThread { try session.setUnlockCodes(pin: pin, enabled: enabled) }
    }

    /// Makes a new recovery key, replacing any earlier one: show it once. `pin` is checked
    /// again (the key opens the token without it); a wrong one counts as a try.
    public func exportNewRecoveryKey(pin: String) async throws -> String {
        let session = session
        return try await offMainThread { try session.exportNewRecoveryKey(pin: pin) }
    }

    /// Adds the identities of another authenticator's export file, or of a Tessera backup, in
    /// one save (`format` nil: recognised by its content). An encrypted file without `password`
    /// throws `.PasswordNeeded` (ask, then call again); a wrong one throws `.InvalidInput` with
    /// field `.password`. Encrypted files run a slow key derivation, hence `async`.
    public func importFile(
        _ contents: Data, format: ImportFormat? = nil, password: String? = nil
    ) async throws -> ImportOutcome {
        let session = session
        return try await offMainThread {
            try session.importFile(contents: contents, format: format, password: password)
        }
    }

    /// Restores a backup or another app's export onto a new token in this empty folder, with
    /// `pin`, which `confirmation` must repeat (the core checks both). Show the result's
    /// recovery key once and drop it. Runs the PIN's key derivation, hence `async`.
    public func createFromImport(
        _ contents: Data, format: ImportFormat? = nil, password: String? = nil, pin: String,
        confirmation: String
    ) async throws -> RestoreSummary {
        let session = session
        return try await offMainThread {
            try session.createFromImport(
                contents: contents, format: format, password: password, pin: pin,
                confirmation: confirmation)
        }
    }

    /// An explicit export of secrets (links, QR images or the backup file): hand it to the
    /// share sheet or file exporter, then drop it. The PIN is checked again; the backup
    /// password and its confirmation are for `.tessera` only (the core checks both).
    public func export(
        _ format: ExportFormat, pin: String, backupPassword: String? = nil,
        backupPasswordConfirmation: String? = nil
    ) async throws -> ExportResult {
        let session = session
        return try await offMainThread {
            try session.export(
                format: format, pin: pin, backupPassword: backupPassword,
                backupPasswordConfirmation: backupPasswordConfirmation)
        }
    }

    /// What a Tessera backup holds (names, kinds, issuers; no secret), proven by opening it
    /// with `password`; no token is touched. Runs the backup's key derivation.
    public static func verifyBackup(_ contents: Data, password: String) async throws
        -> BackupSummary
    {
        try await offMainThread { try TesseraFFI.verifyBackup(contents: contents, password: password) }
    }

    /// Forgets everything decrypted.
    public func lock() throws {
        try session.lock()
    }

    /// Starts Add Identity (the token must be unlocked, or not exist yet).
    public func addIdentity() throws -> IdentityFlow {
        IdentityFlow(try session.addIdentity())
    }

    /// Starts giving the IdentityGuard identity `identityId` new activation data: Add
    /// Identity's steps without the PIN ones; it keeps its name and place in the list.
    public func reactivate(_ identityId: String) throws -> IdentityFlow {
        IdentityFlow(try session.reactivate(identityId: identityId))
    }

    /// The identity's code, again each `interval`, until the consumer stops iterating (the
    /// stream then cancels its task). A code without a validity window (counter-based: each
    /// request uses up a counter value) is sent once and the stream ends.
    ///
    /// - Parameter time: where codes are computed for: `nil` (the default) is the token's own
    ///   clock with its time correction (`code`); a function gives `codeAt` that Unix time
    ///   (previews and tests).
    public func codes(
        of identityId: String,
        every interval: Duration = .seconds(1),
        at time: (@Sendable () -> UInt64)? = nil
    ) -> AsyncThrowingStream<CodeView, Error> {
        let session = session
        return AsyncThrowingStream { continuation in
            let task = Task.detached(priority: .userInitiated) {
                do {
                    while !Task.isCancelled {
                        let code = try time.map {
                            try session.codeAt(identityId: identityId, unixTime: $0())
                        } ?? session.code(identityId: identityId)
                        continuation.yield(code)
                        if code.secondsLeft == nil {
                            break
                        }
                        try await Task.sleep(for: interval)
                    }
                    continuation.finish()
                } catch is CancellationError {
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// One pass through Add Identity. Every step may derive keys or write the vault, so every
/// step is `async`; each returns the next step or throws a `TokenError` naming the field.
public final class IdentityFlow: Sendable {
    /// The generated flow.
    public let flow: AddIdentityFlow

    init(_ flow: AddIdentityFlow) {
        self.flow = flow
    }

    /// The current step.
    public func step() throws -> FlowStep {
        try flow.step()
    }

    /// Typed serial number, activation code and options.
    public func enterActivation(_ data: ActivationInput) async throws -> FlowStep {
        let flow = flow
        return try await offMainThread { try flow.enterActivation(data: data) }
    }

    /// A scanned, pasted or opened otpauth:// or igmobileotp:// link.
    public func enterLink(_ link: String) async throws -> FlowStep {
        let flow = flow
        return try await offMainThread { try flow.enterLink(link: link) }
    }

    /// The password that came with an igmobileotp:// link.
    public func enterPassword(_ password: String) async throws -> FlowStep {
        let flow = flow
        return try await offMainThread { try flow.enterPassword(password: password) }
    }

    /// The new token's PIN.
    public func setPin(_ pin: String) async throws -> FlowStep {
        let flow = flow
        return try await offMainThread { try flow.setPin(pin: pin) }
    }

    /// The same PIN again (creates the token when no registration code is to be shown).
    public func confirmPin(_ pin: String) async throws -> FlowStep {
        let flow = flow
        return try await offMainThread { try flow.confirmPin(pin: pin) }
    }

    /// After the registration code was shown: saves the identity.
    public func finish() async throws -> FlowStep {
        let flow = flow
        return try await offMainThread { try flow.finish() }
    }
}

/// Blocking FFI calls run on this queue, not on Swift's cooperative thread pool (one thread per
/// core: a quarter-second KDF there would stall unrelated tasks).
private let blockingCalls = DispatchQueue(
    label: "org.tessera.blocking-calls", qos: .userInitiated, attributes: .concurrent)

func offMainThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        blockingCalls.async {
            continuation.resume(with: Result { try work() })
        }
    }
}
