// The unlock screen: the PIN; when locked out, the reset code to read to the help desk and the
// forms for its unlock code or the recovery key, each followed by a new PIN.

import SwiftUI
import TesseraKit

struct UnlockView: View {
    @ObservedObject var model: UnlockViewModel
    @State private var useRecoveryKey = false

    var body: some View {
        NavigationStack {
            Form {
                if let notice = model.notice {
                    Section { Text(notice) }
                }
                switch model.state {
                case let .needsPin(attemptsLeft)?:
                    pinSection(attemptsLeft: attemptsLeft)
                case let .lockedOut(resetCode, unlockAttemptsLeft, recoveryKey)?:
                    lockedSections(
                        resetCode: resetCode, unlockAttemptsLeft: unlockAttemptsLeft,
                        recoveryKey: recoveryKey)
                default:
                    EmptyView()
                }
            }
            .disabled(model.isWorking)
            .navigationTitle("Tessera")
        }
    }

    private func pinSection(attemptsLeft: UInt32) -> some View {
        Section {
            Field(
                title: "PIN", text: $model.pin, error: model.error?.message, secure: true,
                keyboard: .numberPad)
            Button("Unlock") { Task { await model.submitPin() } }
        } footer: {
            Text("\(attemptsLeft) tries before the token locks.")
        }
    }

    @ViewBuilder
    private func lockedSections(resetCode: String?, unlockAttemptsLeft: UInt32, recoveryKey: Bool)
        -> some View
    {
        Section("Locked") {
            Text("Too many wrong PINs. Ask your help desk for an unlock code, or use your recovery key.")
            if let resetCode {
                LabeledContent("Reset code", value: resetCode)
                    .font(.system(.body, design: .monospaced))
            }
        }
        if resetCode != nil && recoveryKey {
            Picker("Open with", selection: $useRecoveryKey) {
                Text("Unlock code").tag(false)
                Text("Recovery key").tag(true)
            }
            .pickerStyle(.segmented)
        }
        Section {
            if resetCode != nil && !useRecoveryKey {
                Field(
                    title: "Unlock code", text: $model.unlockCode,
                    error: errorBeside([.unlockCode], orScreen: true), keyboard: .numberPad)
                Text("\(unlockAttemptsLeft) unlock-code tries left.").font(.footnote)
            } else {
                Field(
                    title: "Recovery key", text: $model.recoveryKey,
                    error: errorBeside([.recoveryKey], orScreen: true))
            }
            Field(
                title: "New PIN", text: $model.newPin, error: errorBeside([.pin], orScreen: false),
                secure: true, keyboard: .numberPad)
            Button("Unlock and set the new PIN") {
                Task {
                    if resetCode != nil && !useRecoveryKey {
                        await model.submitUnlockCode()
                    } else {
                        await model.submitRecoveryKey()
                    }
                }
            }
        }
    }

    /// The error for these fields; a screen-wide one (a wrong code) goes beside the code field.
    private func errorBeside(_ fields: [InputField], orScreen: Bool) -> String? {
        guard let error = model.error else { return nil }
        if let field = error.field {
            return fields.contains(field) ? error.message : nil
        }
        return orScreen ? error.message : nil
    }
}
