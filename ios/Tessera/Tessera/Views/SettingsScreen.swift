// Settings: change the PIN, correct the clock, choose the auto-lock delay and the wrong PINs
// that lock the token, allow or refuse unlock codes, make a new recovery key. The clock offset
// and the delay are saved by the model as soon as the field hands them over (Return, another
// field, leaving the screen); nothing here keeps a value of its own.

import SwiftUI
import TesseraKit

struct SettingsScreen: View {
    @StateObject private var model: SettingsViewModel
    /// The PIN typed to change whether unlock codes are allowed (the core checks it).
    @State private var unlockCodesPin = ""

    private struct Delay: Hashable {
        let name: String
        let seconds: UInt32
    }

    /// Auto-lock delays offered; the core accepts 0 to 3600 seconds.
    private static let delays = [
        Delay(name: "At once", seconds: 0), Delay(name: "30 seconds", seconds: 30),
        Delay(name: "1 minute", seconds: 60), Delay(name: "5 minutes", seconds: 300),
        Delay(name: "15 minutes", seconds: 900), Delay(name: "1 hour", seconds: 3_600),
    ]

    init(token: Token, copier: Copier) {
        _model = StateObject(wrappedValue: SettingsViewModel(token: token, copier: copier))
    }

    var body: some View {
        Form {
            ErrorText(model.error)
            Section {
                Field(
                    title: "Current PIN", text: $model.currentPin,
                    error: model.fieldErrors[.currentPin], secure: true, keyboard: .numberPad)
                Field(
                    title: "New PIN", text: $model.newPin, error: model.fieldErrors[.newPin],
                    secure: true, keyboard: .numberPad)
                Field(
                    title: "New PIN again", text: $model.confirmPin,
                    error: model.fieldErrors[.confirmPin], secure: true, keyboard: .numberPad)
                Button("Change PIN") { Task { await model.changePin() } }
                    .disabled(model.isWorking)
                if model.pinChanged {
                    Text("The PIN was changed.").foregroundStyle(.secondary)
                }
            } header: {
                Text("PIN")
            }
            Section {
                Picker("Lock after", selection: $model.autoLockSeconds) {
                    ForEach(Self.delays, id: \.self) { delay in
                        Text(delay.name).tag(delay.seconds)
                    }
                }
                ErrorText(model.fieldErrors[.autoLock])
                Stepper(
                    "Lock after \(model.lockoutThreshold) wrong PINs",
                    value: $model.lockoutThreshold, in: 1...100)
                ErrorText(model.fieldErrors[.lockoutThreshold])
                Field(
                    title: "PIN", text: $model.lockoutPin,
                    error: model.fieldErrors[.lockoutPin], secure: true, keyboard: .numberPad)
                Button("Save the number of tries") { Task { await model.saveLockoutThreshold() } }
                    .disabled(model.isWorking)
            } header: {
                Text("Locking")
            } footer: {
                Text(
                    "How long Tessera may stay in the background before it asks for the PIN again. Changing the number of tries asks for the PIN."
                )
            }
            Section {
                TextField("Seconds", value: $model.timeOffset, format: .number)
                    .keyboardType(.numbersAndPunctuation)
                ErrorText(model.fieldErrors[.timeOffset])
            } header: {
                Text("Time offset")
            } footer: {
                Text(
                    "Seconds added to this device's clock for time-based codes, if it runs wrong. Saved as you leave the field."
                )
            }
            Section {
                Field(
                    title: "PIN (to change this)", text: $unlockCodesPin,
                    error: model.fieldErrors[.unlockCodes], secure: true, keyboard: .numberPad)
                Button(model.unlockCodes ? "Turn unlock codes off" : "Allow unlock codes") {
                    let (enable, pin) = (!model.unlockCodes, unlockCodesPin)
                    unlockCodesPin = ""
                    Task { await model.setUnlockCodes(enable, pin: pin) }
                }
                .disabled(model.isWorking)
            } header: {
                Text("Unlock codes")
            } footer: {
                Text(
                    model.unlockCodes
                        ? "When the token is locked, your organisation can open it with an unlock code for the reset code it shows."
                        : "Off: a locked token shows no reset code, and only the recovery key opens it.")
            }
            Section {
                if let key = model.recoveryKey {
                    RecoveryKeyText(key: key)
                    Button(model.recoveryKeyCopied ? "Copied" : "Copy", action: model.copyRecoveryKey)
                    Button("I wrote it down", action: model.dismissRecoveryKey)
                } else {
                    Field(
                        title: "PIN", text: $model.recoveryKeyPin,
                        error: model.fieldErrors[.recoveryKeyPin], secure: true,
                        keyboard: .numberPad)
                    Button("Make a new recovery key") { Task { await model.makeRecoveryKey() } }
                        .disabled(model.isWorking)
                }
            } header: {
                Text("Recovery key")
            } footer: {
                Text(
                    "A new key replaces the old one, which stops working. It opens Tessera without the PIN, so the PIN is asked first. It is shown only once."
                )
            }
        }
        .navigationTitle("Settings")
        .onAppear { model.refresh() }
    }
}
