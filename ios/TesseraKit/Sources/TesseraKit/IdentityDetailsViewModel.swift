// An identity's details: what it is and where it came from, rename, remove (after a
// confirmation), switch the IdentityGuard derivation variant when the core offers one, and
// reactivate an IdentityGuard identity with new activation data.

import Foundation
import TesseraFFI

/// The identity details screen's state.
@MainActor
public final class IdentityDetailsViewModel: ViewModel {
    /// The identity as last read.
    public private(set) var identity: IdentitySummary {
        didSet { changed() }
    }
    /// The last refusal, beside its field (`.name`, `.policy`, `.identity`) or for the screen.
    public private(set) var error: ShownError? {
        didSet { changed() }
    }
    /// Whether the "remove for good?" confirmation is showing.
    public private(set) var isConfirmingRemove = false {
        didSet { changed() }
    }
    /// Whether the identity was removed (the screen closes).
    public private(set) var isRemoved = false {
        didSet { changed() }
    }

    /// The name field.
    public var name: String {
        didSet { changed() }
    }

    private let token: Token
    private let copier: Copier

    public init(token: Token, identity: IdentitySummary, copier: Copier) {
        self.token = token
        self.identity = identity
        self.copier = copier
        name = identity.name
        super.init()
    }

    /// When it was added.
    public var addedAt: Date {
        Date(timeIntervalSince1970: TimeInterval(identity.addedAt))
    }

    /// Whether it can be given new activation data.
    public var canReactivate: Bool {
        identity.kind == .identityGuard
    }

    /// Saves the name field.
    public func rename() {
        perform(beside: .name) {
            self.identity = try $0.rename(identityId: self.identity.id, newName: self.name)
            self.name = self.identity.name
        }
    }

    /// First tap on Remove: ask for confirmation.
    public func requestRemove() {
        isConfirmingRemove = true
    }

    /// The person confirmed: the identity is removed for good.
    public func confirmRemove() {
        guard isConfirmingRemove else { return }
        isConfirmingRemove = false
        perform(beside: nil) {
            try $0.remove(identityId: self.identity.id)
            self.isRemoved = true
        }
    }

    /// The person changed their mind.
    public func cancelRemove() {
        isConfirmingRemove = false
    }

    /// Switches an IdentityGuard identity to its other derivation (with or without the policy),
    /// for codes the organisation refuses.
    public func switchPolicyVariant() {
        perform(beside: .policy) {
            self.identity = try $0.switchPolicyVariant(identityId: self.identity.id)
        }
    }

    /// Add Identity's screens over a reactivation of this identity, or `nil` with `error` set
    /// when the core refuses (not an IdentityGuard identity, a locked token).
    public func reactivate() -> AddIdentityViewModel? {
        do {
            let model = try AddIdentityViewModel(
                token: token, reactivating: identity.id, copier: copier)
            error = nil
            return model
        } catch {
            self.error = ShownError(error, beside: .identity)
            return nil
        }
    }

    /// Reads the identity again (after a reactivation).
    public func refresh() {
        perform(beside: nil) {
            let id = self.identity.id
            guard let current = try $0.identities().first(where: { $0.id == id }) else {
                self.isRemoved = true
                return
            }
            self.identity = current
            self.name = current.name
        }
    }

    private func perform(beside field: InputField?, _ action: (TokenSession) throws -> Void) {
        do {
            try action(token.session)
            error = nil
        } catch {
            self.error = ShownError(error, beside: field)
        }
    }
}
