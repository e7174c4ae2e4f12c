// Settings: change the PIN, correct the clock, choose the auto-lock delay and the wrong PINs
// that lock the token, allow or refuse unlock codes, make a new recovery key.

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

    init(token: Token) {
        _model = StateObject(wrappedValue: SettingsViewModel(token: token))
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
                Picker("Lock after", selection: saving(\.autoLockSeconds, model.saveAutoLock)) {
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
                Button("Save the time offset", action: model.saveTimeOffset)
                ErrorText(model.fieldErrors[.timeOffset])
            } header: {
                Text("Time offset")
            } footer: {
                Text("Seconds added to this device's clock for time-based codes, if it runs wrong.")
            }
            Section {
                Field(
                    title: "PIN (to change this)", text: $unlockCodesPin,
                    error: model.fieldErrors[.unlockCodes], secure: true, keyboard: .numberPad)
                Toggle(
                    "Allow unlock codes",
                    isOn: Binding(
                        get: { model.unlockCodes },
                        set: { enabled in
                            let pin = unlockCodesPin
                            unlockCodesPin = ""
                            Task { await model.setUnlockCodes(enabled, pin: pin) }
                        }))
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
                    Text(key)
                        .font(.system(.title3, design: .monospaced))
                        .textSelection(.enabled)
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
        .onAppear(perform: model.refresh)
    }

    /// A binding that saves each value the person picks.
    private func saving<Value>(
        _ keyPath: ReferenceWritableKeyPath<SettingsViewModel, Value>, _ save: @escaping () -> Void
    ) -> Binding<Value> {
        Binding(
            get: { model[keyPath: keyPath] },
            set: { value in
                model[keyPath: keyPath] = value
                save()
            })
    }
}
