// The identity list: codes stay hidden until the person taps a row. A revealed time-based code
// is made again every second, with the share of its period left (the countdown ring) and, in
// its last seconds, the code that follows. Codes without a validity window (counter-based) use
// up a counter value when made, so they are made only on a tap.

import TesseraFFI

/// The identity list's state.
@MainActor
public final class IdentityListViewModel: ViewModel {
    /// Seconds before a code expires from which the next one is shown beside it.
    public static let nextCodeSeconds: UInt32 = 5

    /// One row of the list.
    public struct Row: Equatable, Identifiable, Sendable {
        /// The identity, without its secret.
        public let identity: IdentitySummary
        /// Its code, when revealed (`grouped` is the form to show).
        public let code: CodeView?
        /// The code after this one, in the current code's last `nextCodeSeconds` seconds.
        public let nextCode: CodeView?

        public var id: String { identity.id }

        /// Whether the row shows a code.
        public var isRevealed: Bool { code != nil }

        /// The share of the code's period still to run, from 1 down towards 0 (the countdown
        /// ring); `nil` for codes without a validity window.
        public var remaining: Double? {
            guard let left = code?.secondsLeft, let period = code?.period, period > 0 else {
                return nil
            }
            return Double(left) / Double(period)
        }
    }

    /// The rows, in the token's order.
    public private(set) var rows: [Row] = [] {
        didSet { changed() }
    }
    /// The last refusal (a locked token, a removed identity...).
    public private(set) var error: ShownError? {
        didSet { changed() }
    }
    /// The identity whose code is on the clipboard, until it is cleared from it.
    public private(set) var copied: String? {
        didSet { changed() }
    }

    private let token: Token
    private let copier: Copier
    private let time: (@Sendable () -> UInt64)?
    private var revealed: Set<String> = []

    /// - Parameter time: `nil` for the token's clock; a function shows codes at that Unix time
    ///   (previews and tests).
    public init(token: Token, copier: Copier, time: (@Sendable () -> UInt64)? = nil) {
        self.token = token
        self.copier = copier
        self.time = time
        super.init()
    }

    /// Reads the identities again. Revealed time-based codes are made again; a revealed
    /// counter-based code stays as it was.
    public func refresh() {
        do {
            let identities = try token.session.identities()
            revealed.formIntersection(identities.map(\.id))
            var shown: [String: Row] = [:]
            for row in rows {
                shown[row.id] = row
            }
            rows = try identities.map { identity in
                if ticking(identity) {
                    return try row(identity)
                }
                return Row(identity: identity, code: shown[identity.id]?.code, nextCode: nil)
            }
            error = nil
        } catch {
            self.error = ShownError(error)
        }
    }

    /// Makes the revealed time-based codes again (call once a second).
    public func tick() {
        do {
            rows = try rows.map { ticking($0.identity) ? try row($0.identity) : $0 }
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

    /// A tap on a row: shows its code, or hides it again.
    public func tap(_ identityId: String) {
        if revealed.contains(identityId) {
            hide(identityId)
        } else {
            reveal(identityId)
        }
    }

    /// Shows the code of an identity (for a counter-based one this uses a counter value, saved
    /// by the core before the code is returned).
    public func reveal(_ identityId: String) {
        guard let identity = rows.first(where: { $0.id == identityId })?.identity else {
            return refresh()
        }
        revealed.insert(identityId)
        do {
            replace(
                ticking(identity)
                    ? try row(identity)
                    : Row(identity: identity, code: try code(identityId), nextCode: nil))
            error = nil
        } catch {
            revealed.remove(identityId)
            self.error = ShownError(error)
        }
    }

    /// Hides the code of an identity.
    public func hide(_ identityId: String) {
        revealed.remove(identityId)
        if let row = rows.first(where: { $0.id == identityId }) {
            replace(Row(identity: row.identity, code: nil, nextCode: nil))
        }
    }

    /// Copies the identity's code as typed (revealing it first if needed); it is cleared from
    /// the clipboard after `Copier.clearAfterSeconds` if still there.
    public func copy(_ identityId: String) {
        if rows.first(where: { $0.id == identityId })?.code == nil {
            reveal(identityId)
        }
        guard let code = rows.first(where: { $0.id == identityId })?.code else { return }
        copied = identityId
        copier.copy(code.code) { [weak self] in
            if self?.copied == identityId {
                self?.copied = nil
            }
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
        revealed = []
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

    private func replace(_ row: Row) {
        rows = rows.map { $0.id == row.id ? row : $0 }
    }

    /// Whether the row's code is made again on each tick: revealed, and changing with time.
    private func ticking(_ identity: IdentitySummary) -> Bool {
        revealed.contains(identity.id) && identity.period != nil
    }

    /// A revealed time-based row: its code now and, near the end of its period, the next one.
    private func row(_ identity: IdentitySummary) throws -> Row {
        let code = try code(identity.id)
        var next: CodeView?
        if let left = code.secondsLeft, let until = code.validUntil, left <= Self.nextCodeSeconds {
            next = try token.session.codeAt(identityId: identity.id, unixTime: until)
        }
        return Row(identity: identity, code: code, nextCode: next)
    }

    private func code(_ identityId: String) throws -> CodeView {
        if let time {
            return try token.session.codeAt(identityId: identityId, unixTime: time())
        }
        return try token.session.code(identityId: identityId)
    }
}
