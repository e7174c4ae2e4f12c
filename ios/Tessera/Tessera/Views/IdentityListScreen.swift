// The identity list: tap a row to see its code (grouped, with the countdown ring and, in its
// last seconds, the next code), copy it, open its details, or answer a challenge. The toolbar
// adds an identity, opens the settings, or locks the token.

import SwiftUI
import TesseraKit

struct IdentityListScreen: View {
    let token: Token
    @ObservedObject var app: AppModel
    let onLock: () -> Void
    @StateObject private var model: IdentityListViewModel
    @State private var adding = false
    @State private var path = NavigationPath()

    enum Destination: Hashable {
        case details(IdentitySummary)
        case challenge(IdentitySummary)
        case settings
    }

    init(token: Token, app: AppModel, onLock: @escaping () -> Void) {
        self.token = token
        self.app = app
        self.onLock = onLock
        _model = StateObject(wrappedValue: IdentityListViewModel(token: token, copier: app.copier))
    }

    var body: some View {
        NavigationStack(path: $path) {
            List {
                ErrorText(model.error?.message)
                ForEach(model.rows) { row in
                    IdentityRowView(
                        row: row, copied: model.copied == row.id,
                        onTap: { tap(row) },
                        onCopy: { model.copy(row.id) },
                        onChallenge: { path.append(Destination.challenge(row.identity)) },
                        onDetails: { path.append(Destination.details(row.identity)) })
                }
            }
            .overlay {
                if model.rows.isEmpty && model.error == nil {
                    Text("No identities yet. Tap + to add one.").foregroundStyle(.secondary)
                }
            }
            .navigationTitle("Tessera")
            .toolbar {
                ToolbarItem(placement: .navigationBarLeading) {
                    Button {
                        model.lock()
                        onLock()
                    } label: {
                        Label("Lock", systemImage: "lock")
                    }
                }
                ToolbarItemGroup(placement: .navigationBarTrailing) {
                    Button { path.append(Destination.settings) } label: {
                        Label("Settings", systemImage: "gearshape")
                    }
                    Button { adding = true } label: {
                        Label("Add identity", systemImage: "plus")
                    }
                }
            }
            .navigationDestination(for: Destination.self) { destination in
                switch destination {
                case let .details(identity):
                    IdentityDetailsScreen(token: token, identity: identity, app: app)
                case let .challenge(identity):
                    ChallengeScreen(token: token, identity: identity, copier: app.copier)
                case .settings:
                    SettingsScreen(token: token, copier: app.copier)
                }
            }
            .task { await model.run() }
            .onAppear {
                model.refresh()
                if app.pendingLink != nil {
                    adding = true
                }
            }
            .onChange(of: app.pendingLink) { link in
                if link != nil {
                    adding = true
                }
            }
            .sheet(isPresented: $adding, onDismiss: { model.refresh() }) {
                NavigationStack {
                    AddIdentityScreen(token: token, app: app, onClose: { adding = false })
                }
            }
        }
    }

    /// Identities that only answer challenges open the challenge screen; the others show a code.
    private func tap(_ row: IdentityListViewModel.Row) {
        if row.identity.digits == nil {
            path.append(Destination.challenge(row.identity))
        } else {
            model.tap(row.id)
        }
    }
}

/// One identity: name and issuer; when revealed, its code, ring, next code and copy button.
struct IdentityRowView: View {
    let row: IdentityListViewModel.Row
    let copied: Bool
    let onTap: () -> Void
    let onCopy: () -> Void
    let onChallenge: () -> Void
    let onDetails: () -> Void

    var body: some View {
        HStack(alignment: .center, spacing: 12) {
            VStack(alignment: .leading, spacing: 4) {
                Text(row.identity.name).font(.headline)
                if let issuer = row.identity.issuer, issuer != row.identity.name {
                    Text(issuer).font(.subheadline).foregroundStyle(.secondary)
                }
                if let code = row.code {
                    CodeText(grouped: code.grouped)
                    if let next = row.nextCode {
                        Text("Next: \(next.grouped)")
                            .font(.system(.footnote, design: .monospaced))
                            .foregroundStyle(.secondary)
                    }
                } else if row.identity.digits != nil {
                    Text("Tap to show the code").font(.footnote).foregroundStyle(.secondary)
                }
            }
            .contentShape(Rectangle())
            .onTapGesture(perform: onTap)
            Spacer()
            if let remaining = row.remaining {
                CountdownRing(remaining: remaining)
            }
            if row.isRevealed {
                Button(action: onCopy) {
                    Image(systemName: copied ? "checkmark" : "doc.on.doc")
                }
                .buttonStyle(.borderless)
                .accessibilityLabel(copied ? "Copied" : "Copy code")
            }
            if row.identity.answersChallenges && row.identity.digits != nil {
                Button(action: onChallenge) { Image(systemName: "questionmark.bubble") }
                    .buttonStyle(.borderless)
                    .accessibilityLabel("Answer a challenge")
            }
            Button(action: onDetails) { Image(systemName: "info.circle") }
                .buttonStyle(.borderless)
                .accessibilityLabel("Details")
        }
        .padding(.vertical, 4)
    }
}
