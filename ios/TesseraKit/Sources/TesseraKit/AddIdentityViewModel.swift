// Add Identity's screens: enter data (typed activation data or a link), the link's password,
// choose and confirm a PIN (new token only), the registration code, done. The step shown is
// always the one the core's flow returned; each refusal is shown beside the field it names.

import TesseraFFI

/// The Add Identity screens' state.
@MainActor
public final class AddIdentityViewModel: ViewModel {
    /// The screen to show.
    public private(set) var step: FlowStep {
        didSet { changed() }
    }
    /// Refusals by field ("serial_number", "activation_code", "address", "name", "digits",
    /// "link", "password", "pin", "ocra_suite"); cleared by the next attempt.
    public private(set) var fieldErrors: [String: String] = [:] {
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

    // The "enter data" screen.
    /// Serial number as typed.
    public var serial = ""
    /// Activation code as typed.
    public var activation = ""
    /// Self-service address (optional: the core reads an empty field as none).
    public var address = ""
    /// Name (optional).
    public var name = ""
    /// 6 or 8 digits (`nil`: the default).
    public var digits: UInt8?
    /// OCRA suite for challenge-response (optional).
    public var ocraSuite = ""
    /// A scanned or pasted link.
    public var link = ""
    // The other screens.
    /// The link's password.
    public var password = ""
    /// The new PIN.
    public var pin = ""
    /// The new PIN, again.
    public var pinAgain = ""

    private let flow: IdentityFlow

    /// Starts Add Identity on `token` (unlocked, or without a token yet).
    public init(token: Token) throws {
        flow = try token.addIdentity()
        step = try flow.step()
        super.init()
    }

    /// "Enter data" screen: the typed activation data.
    public func submitActivation() async {
        let data = ActivationData(
            serial: serial,
            activation: activation,
            address: address,
            name: name,
            digits: digits,
            ocraSuite: ocraSuite
        )
        await advance { try await $0.enterActivation(data) }
    }

    /// "Enter data" screen: the link.
    public func submitLink() async {
        let link = self.link
        await advance { try await $0.enterLink(link) }
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

    /// Registration-code screen: saves the identity.
    public func finish() async {
        await advance { try await $0.finish() }
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
            let shown = ShownError(error)
            if let field = shown.field {
                fieldErrors[field] = shown.message
            } else {
                stepError = shown.message
            }
            if let current = try? flow.step() {
                step = current
            }
        }
    }
}
