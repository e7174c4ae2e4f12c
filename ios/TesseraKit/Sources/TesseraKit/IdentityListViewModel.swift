// The identity list: each identity with its current code, refreshed every second while the
// screen is visible. Codes without a validity window (counter-based) use up a counter value
// when made, so they are made only when the person asks (`reveal`).

import TesseraFFI

/// The identity list's state.
@MainActor
public final class IdentityListViewModel: ViewModel {
    /// One row of the list.
    public struct Row: Equatable, Identifiable, Sendable {
        /// The identity, without its secret.
        public let identity: IdentityInfo
        /// Its code, when one is showing.
        public let code: Code?

        public var id: String { identity.id }
    }

    /// The rows, in the token's order.
    public private(set) var rows: [Row] = [] {
        didSet { changed() }
    }
    /// The last refusal (a locked token, a removed identity...).
    public private(set) var error: ShownError? {
        didSet { changed() }
    }

    private let token: Token
    private let time: (@Sendable () -> UInt64)?

    /// - Parameter time: `nil` for the token's clock; a function shows codes at that Unix time
    ///   (previews and tests).
    public init(token: Token, time: (@Sendable () -> UInt64)? = nil) {
        self.token = token
        self.time = time
        super.init()
    }

    /// Reads the identities again and makes the time-based codes.
    public func refresh() {
        do {
            let identities = try token.session.identities()
            // A revealed counter-based code stays shown; time-based codes are made again.
            var shown: [String: Code] = [:]
            for row in rows {
                shown[row.id] = row.code
            }
            rows = try identities.map { identity in
                let code = try ticking(identity) ? code(identity.id) : shown[identity.id]
                return Row(identity: identity, code: code)
            }
            error = nil
        } catch {
            self.error = ShownError(error)
        }
    }

    /// Makes the time-based codes again (call once a second).
    public func tick() {
        do {
            rows = try rows.map { row in
                try ticking(row.identity) ? Row(identity: row.identity, code: code(row.id)) : row
            }
        } catch {
            self.error = ShownError(error)
        }
    }

    /// Ticks every `interval` until the calling task is cancelled (e.g. SwiftUI's `.task`).
    public func run(every interval: Duration = .seconds(1)) async {
        refresh()
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            tick()
        }
    }

    /// Shows the code of an identity on request (for counter-based ones, this uses a counter
    /// value, saved by the core before the code is returned).
    public func reveal(_ identityId: String) {
        do {
            let code = try code(identityId)
            rows = rows.map { $0.id == identityId ? Row(identity: $0.identity, code: code) : $0 }
        } catch {
            self.error = ShownError(error)
        }
    }

    /// Renames an identity.
    public func rename(_ identityId: String, to name: String) {
        perform { try $0.rename(identityId: identityId, newName: name) }
    }

    /// Removes an identity for good.
    public func remove(_ identityId: String) {
        perform { try $0.remove(identityId: identityId) }
    }

    /// Locks the token; the app then shows the unlock screen.
    public func lock() {
        perform { try $0.lock() }
        rows = []
    }

    private func perform<T>(_ action: (TokenSession) throws -> T) {
        do {
            _ = try action(token.session)
            refresh()
        } catch {
            self.error = ShownError(error)
        }
    }

    /// Whether the identity's code changes with time (it has a period).
    private func ticking(_ identity: IdentityInfo) -> Bool {
        identity.period != nil
    }

    private func code(_ identityId: String) throws -> Code {
        if let time {
            return try token.session.codeAt(identityId: identityId, unixTime: time())
        }
        return try token.session.code(identityId: identityId)
    }
}
