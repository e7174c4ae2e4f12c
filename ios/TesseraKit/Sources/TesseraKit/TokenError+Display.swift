// What a screen shows for a `TokenError`: the core's words (`text()`, one exported method for
// every variant) and the field they belong beside. Both come from Rust; nothing here reads the
// enum case by case.

import TesseraFFI

extension TokenError {
    /// The input to show the message beside, or `nil` when the message is about the step or the
    /// token as a whole.
    public var field: InputField? {
        if case let .InvalidInput(field, _) = self {
            return field
        }
        return nil
    }
}

/// An error as a screen shows it.
public struct ShownError: Equatable, Sendable {
    /// The input it belongs beside, or `nil` for the screen as a whole.
    public let field: InputField?
    /// The words to show.
    public let message: String

    /// Reads any error: a `TokenError` keeps its field and the core's words; anything else (a
    /// bug in the shell or the bindings) is shown as it describes itself.
    public init(_ error: Error) {
        self.init(error, beside: nil)
    }

    /// As `init(_:)`, but an error that names no field of its own (a wrong PIN, a locked token)
    /// goes beside `field`: the input the failed call was about.
    public init(_ error: Error, beside field: InputField?) {
        if let error = error as? TokenError {
            self.field = error.field ?? field
            message = error.text()
        } else {
            self.field = field
            message = String(describing: error)
        }
    }
}
