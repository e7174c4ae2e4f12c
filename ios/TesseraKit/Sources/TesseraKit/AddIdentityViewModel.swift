// Add Identity's screens: choose how (scan a QR code, type the activation data, paste a link),
// the link's password, choose and confirm a PIN (new token only), the registration code, done.
// The step shown is always the one the core's flow returned; each refusal is shown beside the
// field it names. A link opened from outside the app first stops at a confirmation. The same
// screens reactivate an IdentityGuard identity (`init(token:reactivating:copier:)`).

import Foundation
import TesseraFFI

/// The Add Identity screens' state.
@MainActor
public final class AddIdentityViewModel: ViewModel {
    /// How the person brings the identity, chosen on the first screen.
    public enum Method: Equatable, Sendable {
        /// Point the camera at the QR code.
        case scan
        /// Type the serial number and activation code.
        case type
        /// Paste an otpauth:// or igmobileotp:// link.
        case link
    }

    /// A link opened from outside the app, waiting for the person to confirm it.
    public struct LinkOffer: Equatable, Sendable {
        /// What the link would add.
        public let preview: LinkPreview
        fileprivate let link: String

        /// "name (issuer)", the name alone, or `nil` for a sealed activation link (the
        /// confirmation then names no identity).
        public var label: String? {
            switch (preview.name, preview.issuer) {
            case let (name?, issuer?) where !name.isEmpty && name != issuer:
                return "\(name) (\(issuer))"
            case let (name?, _) where !name.isEmpty:
                return name
            default:
                return preview.issuer
            }
        }
    }

    /// The screen to show.
    public private(set) var step: FlowStep {
        didSet { changed() }
    }
    /// The way chosen on the first screen (`nil`: show the choice).
    public private(set) var method: Method? {
        didSet { changed() }
    }
    /// An opened link to confirm before anything is added.
    public private(set) var offer: LinkOffer? {
        didSet { changed() }
    }
    /// Refusals by field (`.serialNumber`, `.activationCode`, `.address`, `.name`, `.digits`,
    /// `.link`, `.password`, `.pin`, `.ocraSuite`, and `.scan` for a camera frame the core could
    /// not read); cleared by the next attempt.
    public private(set) var fieldErrors: [InputField: String] = [:] {
        didSet { changed() }
    }
    /// A refusal about the step as a whole (a duplicate identity, a locked token...).
    public private(set) var stepError: String? {
        didSet { changed() }
    }
    /// While a step runs: disable the buttons.
    public private(set) var isWorking = false {
        didSet { changed() }
    }
    /// Whether the registration code is on the clipboard.
    public private(set) var registrationCodeCopied = false {
        didSet { changed() }
    }
    /// Whether a new token's recovery key is on the clipboard.
    public private(set) var recoveryKeyCopied = false {
        didSet { changed() }
    }
    /// A reactivation keeps the identity's name: the form has no name field.
    public let isReactivation: Bool

    // The "enter data" screen.
    /// Serial number as typed.
    public var serial = "" {
        didSet { changed() }
    }
    /// Activation code as typed.
    public var activation = "" {
        didSet { changed() }
    }
    /// Self-service address (optional: the core reads an empty field as none). Until the
    /// person types a name, the name follows it (`suggested_name`).
    public var address = "" {
        didSet {
            suggestName()
            changed()
        }
    }
    /// Name (optional). Typing one stops the address from filling it; emptying it lets the
    /// address fill it again.
    public var name: String {
        get { typedName }
        set {
            typedName = newValue
            nameEdited = !newValue.isEmpty
            changed()
        }
    }
    /// 6 or 8 digits (`nil`: the default).
    public var digits: UInt8? {
        didSet { changed() }
    }
    /// OCRA suite for challenge-response (optional).
    public var ocraSuite = "" {
        didSet { changed() }
    }
    /// A scanned or pasted link.
    public var link = "" {
        didSet { changed() }
    }
    // The other screens.
    /// The link's password.
    public var password = "" {
        didSet { changed() }
    }
    /// The new PIN.
    public var pin = "" {
        didSet { changed() }
    }
    /// The new PIN, again.
    public var pinAgain = "" {
        didSet { changed() }
    }

    private let flow: IdentityFlow
    private let copier: Copier
    private var typedName = ""
    private var nameEdited = false
    private var isDecoding = false
    private var refusedScan: String?

    /// Starts Add Identity on `token` (unlocked, or without a token yet).
    public init(token: Token, copier: Copier) throws {
        flow = try token.addIdentity()
        self.copier = copier
        isReactivation = false
        step = try flow.step()
        super.init()
    }

    /// Starts giving the IdentityGuard identity `identityId` new activation data (typed, or a
    /// link with its password); no PIN steps.
    public init(token: Token, reactivating identityId: String, copier: Copier) throws {
        flow = try token.reactivate(identityId)
        self.copier = copier
        isReactivation = true
        step = try flow.step()
        super.init()
    }

    /// First screen: how the identity comes (`nil`: back to the choice).
    public func choose(_ method: Method?) {
        fieldErrors = [:]
        stepError = nil
        self.method = method
    }

    /// "Enter data" screen: the typed activation data.
    public func submitActivation() async {
        let data = ActivationInput(
            serial: serial,
            activation: activation,
            address: address,
            name: isReactivation ? nil : name,
            digits: digits,
            ocraSuite: ocraSuite
        )
        await advance { try await $0.enterActivation(data) }
    }

    /// "Paste a link" page: the typed or pasted link is read without adding anything and shown
    /// for confirmation (`offer`), as a link opened from outside the app is (Android's and the
    /// desktop's paste pages do the same); a link the flow would refuse is refused beside `.link`.
    public func submitPastedLink() {
        openLink(link)
    }

    /// Enters `link` into the flow: a scanned code, or a link the person confirmed.
    private func submitLink() async {
        let link = self.link
        await advance { try await $0.enterLink(link) }
    }

    /// Scan screen: one camera frame's luminance plane (`rowStride` bytes per row). A readable
    /// QR code is entered as a link (a refusal shows beside `.link`); frames that arrive while one
    /// is being read, or once the flow moved on, are skipped, and a code already refused is not
    /// entered again. Returns whether the frame held a QR code.
    @discardableResult
    public func scanFrame(width: UInt32, height: UInt32, rowStride: UInt32, luma: Data) async
        -> Bool
    {
        guard !isDecoding, !isWorking, step == .start else { return false }
        isDecoding = true
        defer { isDecoding = false }
        let text: String?
        do {
            text = try await offMainThread {
                try decodeQrLuma(width: width, height: height, rowStride: rowStride, luma: luma)
            }
        } catch {
            // A frame that does not fit its own dimensions is the camera glue's mistake, shown
            // beside the scanner whichever dimension the core names.
            fieldErrors[.scan] = ShownError(error).message
            return false
        }
        guard let text else { return false }
        guard text != refusedScan else { return true }
        link = text
        await submitLink()
        if fieldErrors[.link] != nil {
            refusedScan = text
        }
        return true
    }

    /// A link opened from outside the app (a tapped otpauth:// or igmobileotp:// link): read
    /// without adding anything, then shown for confirmation (`offer`). A link the flow would
    /// refuse is refused here, beside `.link`.
    public func openLink(_ uri: String) {
        fieldErrors = [:]
        stepError = nil
        do {
            offer = LinkOffer(preview: try previewLink(link: uri), link: uri)
        } catch {
            offer = nil
            method = .link
            record(ShownError(error))
        }
    }

    /// The person confirmed the opened link: it is entered like a pasted one.
    public func confirmLink() async {
        guard let offer else { return }
        self.offer = nil
        method = .link
        link = offer.link
        await submitLink()
    }

    /// The person declined the opened link: nothing is added.
    public func declineLink() {
        offer = nil
    }

    /// Password screen.
    public func submitPassword() async {
        let password = self.password
        await advance { try await $0.enterPassword(password) }
        if stepError == nil && fieldErrors.isEmpty {
            self.password = ""
        }
    }

    /// Choose-PIN screen.
    public func submitPin() async {
        let pin = self.pin
        self.pin = ""
        await advance { try await $0.setPin(pin) }
    }

    /// Confirm-PIN screen. A mismatch goes back to choosing the PIN (the core decides).
    public func submitPinAgain() async {
        let pin = self.pinAgain
        self.pinAgain = ""
        await advance { try await $0.confirmPin(pin) }
    }

    /// Registration-code screen: copies the code as shown (cleared from the clipboard later).
    public func copyRegistrationCode() {
        guard case let .showRegistrationCode(_, code) = step else { return }
        registrationCodeCopied = true
        copier.copy(code) { [weak self] in
            self?.registrationCodeCopied = false
        }
    }

    /// Done screen: copies a new token's recovery key (cleared from the clipboard later; the
    /// screen offers no other way to copy it).
    public func copyRecoveryKey() {
        guard case let .done(_, recoveryKey?, _) = step else { return }
        recoveryKeyCopied = true
        copier.copy(recoveryKey) { [weak self] in
            self?.recoveryKeyCopied = false
        }
    }

    /// Registration-code screen: saves the identity.
    public func finish() async {
        await advance { try await $0.finish() }
    }

    private func suggestName() {
        guard !nameEdited else { return }
        typedName = suggestedName(address: address) ?? ""
    }

    private func record(_ shown: ShownError) {
        if let field = shown.field {
            fieldErrors[field] = shown.message
        } else {
            stepError = shown.message
        }
    }

    /// One step at a time. On success the step returned is shown (`done` carries the recovery
    /// key, shown once); on a refusal, the flow's current step.
    private func advance(_ attempt: (IdentityFlow) async throws -> FlowStep) async {
        guard !isWorking else { return }
        isWorking = true
        defer { isWorking = false }
        fieldErrors = [:]
        stepError = nil
        do {
            step = try await attempt(flow)
        } catch {
            record(ShownError(error))
            if let current = try? flow.step() {
                step = current
            }
        }
    }
}
