// Add Identity: the choice (scan, type, paste a link), the activation form, the link's
// password, a new token's PIN twice, the registration code to type into the organisation's
// page, and the end (with a new token's recovery key, shown once). A link opened from outside
// the app is shown for confirmation before anything else happens.

import SwiftUI
import TesseraKit

/// Starts a flow for a new identity (the flow lives as long as the screen).
struct AddIdentityScreen: View {
    let token: Token
    @ObservedObject var app: AppModel
    let onClose: () -> Void
    @State private var made: Result<AddIdentityViewModel, Error>?

    var body: some View {
        Group {
            switch made {
            case let .success(model)?:
                AddIdentityForm(model: model, app: app, onClose: onClose)
            case let .failure(error)?:
                ContentUnavailable(title: "Cannot add an identity now", message: ShownError(error).message)
            case nil:
                ProgressView()
            }
        }
        .onAppear {
            if made == nil {
                made = Result { try AddIdentityViewModel(token: token, copier: app.copier) }
            }
        }
    }
}

/// The screens of one flow (a new identity or a reactivation).
struct AddIdentityForm: View {
    @ObservedObject var model: AddIdentityViewModel
    @ObservedObject var app: AppModel
    let onClose: () -> Void

    var body: some View {
        Form {
            ErrorText(model.stepError)
            if let offer = model.offer {
                confirmation(offer)
            } else {
                step
            }
        }
        .disabled(model.isWorking)
        .navigationTitle(model.isReactivation ? "Reactivate" : "Add identity")
        .toolbar {
            ToolbarItem(placement: .cancellationAction) {
                if !isDone {
                    Button("Cancel", action: onClose)
                }
            }
        }
        .onAppear { takeOpenedLink() }
        .onChange(of: app.pendingLink) { _ in takeOpenedLink() }
    }

    private var isDone: Bool {
        if case .done = model.step { return true }
        return false
    }

    /// A link opened from outside adds an identity: a reactivation leaves it for the next Add
    /// Identity screen.
    private func takeOpenedLink() {
        if !model.isReactivation, model.step == .start, let link = app.takeLink() {
            model.openLink(link)
        }
    }

    private func run(_ action: @escaping @MainActor @Sendable () async -> Void) {
        Task { await action() }
    }

    @ViewBuilder
    private func confirmation(_ offer: AddIdentityViewModel.LinkOffer) -> some View {
        Section {
            if let label = offer.label {
                Text("Add \(label)?").font(.headline)
            } else {
                Text("Add the identity from this activation link?").font(.headline)
                Text("You will be asked for the password that came with it.")
            }
            ForEach(offer.preview.warnings, id: \.self) { warning in
                Label(warning, systemImage: "exclamationmark.triangle")
            }
            Button("Add") { run { await model.confirmLink() } }
            Button("Don't add", role: .cancel) {
                model.declineLink()
                onClose()
            }
        }
    }

    @ViewBuilder
    private var step: some View {
        switch model.step {
        case .start:
            start
        case .needsPassword:
            Section {
                Field(
                    title: "Password from the e-mail", text: $model.password,
                    error: model.fieldErrors[.password], secure: true)
                Button("Next") { run { await model.submitPassword() } }
            } header: {
                Text("Link password")
            }
        case .needsPin:
            Section {
                Field(
                    title: "New PIN", text: $model.pin, error: model.fieldErrors[.pin],
                    secure: true, keyboard: .numberPad)
                Button("Next") { run { await model.submitPin() } }
            } header: {
                Text("Choose a PIN")
            } footer: {
                Text("The PIN opens Tessera. Wrong PINs in a row lock it.")
            }
        case .confirmPin:
            Section {
                Field(
                    title: "The same PIN again", text: $model.pinAgain,
                    error: model.fieldErrors[.pin], secure: true, keyboard: .numberPad)
                Button("Next") { run { await model.submitPinAgain() } }
            } header: {
                Text("Confirm the PIN")
            }
        case let .showRegistrationCode(name, registrationCode):
            Section {
                Text("Type this registration code into your organisation's page to finish adding \(name).")
                CodeText(grouped: registrationCode)
                Button(model.registrationCodeCopied ? "Copied" : "Copy") {
                    model.copyRegistrationCode()
                }
                Button("Next") { run { await model.finish() } }
            } header: {
                Text("Registration code")
            }
        case let .done(identity, recoveryKey, warnings):
            Section {
                Text("\(identity.name) was added.").font(.headline)
                ForEach(warnings, id: \.self) { warning in
                    Label(warning, systemImage: "exclamationmark.triangle")
                }
            }
            if let recoveryKey {
                Section {
                    RecoveryKeyText(key: recoveryKey)
                    Button(model.recoveryKeyCopied ? "Copied" : "Copy", action: model.copyRecoveryKey)
                } header: {
                    Text("Recovery key")
                } footer: {
                    Text(
                        "Write it down and keep it somewhere safe. It opens the token if the PIN is lost or locked, and it is shown only now."
                    )
                }
            }
            Button("Done", action: onClose)
        }
    }

    @ViewBuilder
    private var start: some View {
        switch model.method {
        case nil:
            Section {
                Button { model.choose(.scan) } label: {
                    Label("Scan a QR code", systemImage: "qrcode.viewfinder")
                }
                Button { model.choose(.type) } label: {
                    Label("Type the serial number and activation code", systemImage: "keyboard")
                }
                Button { model.choose(.link) } label: {
                    Label("Paste a link", systemImage: "link")
                }
            } header: {
                Text("How do you want to add it?")
            }
        case .scan?:
            Section {
                QRScannerView { width, height, rowStride, luma in
                    _ = await model.scanFrame(width: width, height: height, rowStride: rowStride, luma: luma)
                }
                .frame(height: 320)
                .listRowInsets(EdgeInsets())
                ErrorText(model.fieldErrors[.link] ?? model.fieldErrors[.scan])
            } footer: {
                Text("Point the camera at the QR code your organisation or the service shows.")
            }
            backToChoice
        case .type?:
            Section {
                Field(
                    title: "Serial number", text: $model.serial,
                    error: model.fieldErrors[.serialNumber], keyboard: .numbersAndPunctuation)
                Field(
                    title: "Activation code", text: $model.activation,
                    error: model.fieldErrors[.activationCode], keyboard: .numbersAndPunctuation)
                Field(
                    title: "Self-service address (optional)", text: $model.address,
                    error: model.fieldErrors[.address], keyboard: .URL)
                if !model.isReactivation {
                    Field(title: "Name (optional)", text: $model.name, error: model.fieldErrors[.name])
                }
                Picker("Digits", selection: $model.digits) {
                    Text("Default").tag(UInt8?.none)
                    Text("6").tag(UInt8?.some(6))
                    Text("8").tag(UInt8?.some(8))
                }
                ErrorText(model.fieldErrors[.digits])
                Field(
                    title: "OCRA suite (optional)", text: $model.ocraSuite,
                    error: model.fieldErrors[.ocraSuite])
                Button("Next") { run { await model.submitActivation() } }
            } header: {
                Text("Activation data")
            }
            backToChoice
        case .link?:
            Section {
                Field(title: "otpauth:// or igmobileotp:// link", text: $model.link, error: model.fieldErrors[.link])
                PasteButton(payloadType: String.self) { strings in
                    if let pasted = strings.first {
                        model.link = pasted
                        model.submitPastedLink()
                    }
                }
                Button("Next") { model.submitPastedLink() }
            } header: {
                Text("Link")
            }
            backToChoice
        }
    }

    private var backToChoice: some View {
        Button("Choose another way") { model.choose(nil) }
    }
}
