// The challenge screen: type the challenge the organisation shows, read the response.

import SwiftUI
import TesseraKit

struct ChallengeScreen: View {
    @StateObject private var model: ChallengeViewModel

    init(token: Token, identity: IdentitySummary, copier: Copier) {
        _model = StateObject(
            wrappedValue: ChallengeViewModel(token: token, identity: identity, copier: copier))
    }

    var body: some View {
        Form {
            Section {
                Field(
                    title: "Challenge", text: $model.question, error: model.error?.message,
                    keyboard: .numbersAndPunctuation)
                Field(title: "Organisation PIN (only if asked)", text: $model.ocraPin, secure: true)
                Button("Get the response", action: model.submit)
            } footer: {
                Text("Type the challenge exactly as \(model.identity.issuer ?? "the organisation") shows it.")
            }
            if let response = model.response {
                Section("Response") {
                    CodeText(grouped: response)
                    Button(model.copied ? "Copied" : "Copy", action: model.copy)
                }
            }
        }
        .navigationTitle(model.identity.name)
    }
}
