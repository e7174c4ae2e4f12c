// What a screen shows for a `TokenError`: the core's message, and the field it belongs beside.
// Both come from Rust; this only reads them out of the enum.

import TesseraFFI

extension TokenError {
    /// The input to show the message beside ("serial_number", "pin", "password"...), or `nil`
    /// when the message is about the step or the token as a whole.
    public var field: String? {
        if case let .InvalidInput(field, _) = self {
            return field
        }
        return nil
    }

    /// The message to show a person, as the core wrote it.
    public var message: String {
        switch self {
        case let .InvalidInput(_, message),
            let .WrongPin(_, message),
            let .Locked(_, message),
            let .WrongUnlockCode(_, message),
            let .NotUnlocked(message),
            let .NoToken(message),
            let .NotFound(message),
            let .Duplicate(message),
            let .KeyUnavailable(message),
            let .Corrupted(message),
            let .PasswordNeeded(_, message),
            let .WrongStep(message):
            return message
        case let .Internal(reason):
            return "internal error: \(reason)"
        }
    }
}

/// An error as a screen shows it.
public struct ShownError: Equatable, Sendable {
    /// The input it belongs beside, or `nil` for the screen as a whole.
    public let field: String?
    /// The words to show.
    public let message: String

    /// Reads any error: a `TokenError` keeps its field and message; anything else (a bug in the
    /// shell or the bindings) is shown as it describes itself.
    public init(_ error: Error) {
        self.init(error, beside: nil)
    }

    /// As `init(_:)`, but an error that names no field of its own (a wrong PIN, a locked token)
    /// goes beside `field`: the input the failed call was about.
    public init(_ error: Error, beside field: String?) {
        if let error = error as? TokenError {
            self.field = error.field ?? field
            message = error.message
        } else {
            self.field = field
            message = String(describing: error)
        }
    }
}
