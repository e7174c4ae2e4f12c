// An identity's details: kind, issuer, serial, registration code, address, date added; rename;
// the derivation variant switch when offered; reactivate; remove after a confirmation.

import SwiftUI
import TesseraKit

struct IdentityDetailsScreen: View {
    @ObservedObject var app: AppModel
    @StateObject private var model: IdentityDetailsViewModel
    @State private var reactivation: AddIdentityViewModel?
    @Environment(\.dismiss) private var dismiss

    init(token: Token, identity: IdentitySummary, app: AppModel) {
        self.app = app
        _model = StateObject(
            wrappedValue: IdentityDetailsViewModel(token: token, identity: identity, copier: app.copier))
    }

    var body: some View {
        Form {
            ErrorText(model.error?.field == nil ? model.error?.message : nil)
            Section("Identity") {
                LabeledContent("Kind", value: kindName)
                if let issuer = model.identity.issuer {
                    LabeledContent("Issuer", value: issuer)
                }
                if let serial = model.identity.serial {
                    LabeledContent("Serial number", value: serial)
                }
                if let registration = model.identity.registrationCode {
                    LabeledContent("Registration code", value: registration)
                }
                if let address = model.identity.address {
                    LabeledContent("Self-service address", value: address)
                }
                LabeledContent("Added", value: model.addedAt.formatted(date: .abbreviated, time: .shortened))
            }
            Section("Name") {
                Field(title: "Name", text: $model.name, error: errorBeside(.name))
                Button("Rename", action: model.rename)
            }
            if model.identity.canSwitchPolicy {
                Section {
                    Button("Switch the code variant", action: model.switchPolicyVariant)
                    ErrorText(errorBeside(.policy))
                } footer: {
                    Text(
                        model.identity.policyIncluded == true
                            ? "Codes now include the policy. Switch if your organisation refuses them."
                            : "Codes now leave the policy out. Switch if your organisation refuses them.")
                }
            }
            if model.canReactivate {
                Section {
                    Button("Reactivate with new activation data") {
                        reactivation = model.reactivate()
                    }
                    ErrorText(errorBeside(.identity))
                }
            }
            Section {
                Button("Remove", role: .destructive, action: model.requestRemove)
            }
        }
        .navigationTitle(model.identity.name)
        .confirmationDialog(
            "Remove \(model.identity.name) for good?",
            isPresented: Binding(
                get: { model.isConfirmingRemove },
                set: { shown in if !shown { model.cancelRemove() } }),
            titleVisibility: .visible
        ) {
            Button("Remove", role: .destructive, action: model.confirmRemove)
            Button("Keep it", role: .cancel, action: model.cancelRemove)
        } message: {
            Text("Its codes can no longer be made on this device.")
        }
        .onChange(of: model.isRemoved) { removed in
            if removed { dismiss() }
        }
        .sheet(
            isPresented: Binding(get: { reactivation != nil }, set: { if !$0 { reactivation = nil } }),
            onDismiss: { model.refresh() }
        ) {
            if let reactivation {
                NavigationStack {
                    AddIdentityForm(model: reactivation, app: app, onClose: { self.reactivation = nil })
                }
            }
        }
    }

    private var kindName: String {
        switch model.identity.kind {
        case .totp: return "Time-based (TOTP)"
        case .hotp: return "Counter-based (HOTP)"
        case .steam: return "Steam Guard"
        case .ocra: return "Challenge-response (OCRA)"
        case .identityGuard: return "IdentityGuard"
        }
    }

    private func errorBeside(_ field: InputField) -> String? {
        model.error?.field == field ? model.error?.message : nil
    }
}
