// The challenge screen: the person types the challenge the organisation showed and reads the
// response to type back. Identities with a counter-based suite use up a counter value per
// response (saved by the core before it answers).

import TesseraFFI

/// The challenge screen's state.
@MainActor
public final class ChallengeViewModel: ViewModel {
    /// The identity answering.
    public let identity: IdentitySummary
    /// The response, grouped for reading, once one was made.
    public private(set) var response: String? {
        didSet { changed() }
    }
    /// The last refusal: beside `.challenge` (the question or the organisation's PIN).
    public private(set) var error: ShownError? {
        didSet { changed() }
    }
    /// Whether the response is on the clipboard.
    public private(set) var copied = false {
        didSet { changed() }
    }

    /// The challenge as typed.
    public var question = "" {
        didSet { changed() }
    }
    /// The organisation's PIN, for suites that include one (empty: none).
    public var ocraPin = "" {
        didSet { changed() }
    }

    private let token: Token
    private let copier: Copier
    private var typed: String?

    public init(token: Token, identity: IdentitySummary, copier: Copier) {
        self.token = token
        self.identity = identity
        self.copier = copier
        super.init()
    }

    /// Answers `question`.
    public func submit() {
        response = nil
        typed = nil
        do {
            let answer = try token.session.challenge(
                identityId: identity.id, question: question, ocraPin: ocraPin.isEmpty ? nil : ocraPin)
            response = try groupCode(code: answer)
            typed = answer
            error = nil
        } catch {
            self.error = ShownError(error, beside: .challenge)
        }
    }

    /// Copies the response as typed (cleared from the clipboard later).
    public func copy() {
        guard let typed else { return }
        copied = true
        copier.copy(typed) { [weak self] in
            self?.copied = false
        }
    }
}
