// The first screen follows the token's state: Add Identity when there is no token, the unlock
// screen when it is closed or locked out, the identity list when it is open. An opened link
// waits in `AppModel.pendingLink` until an Add Identity screen takes it (the list opens one as
// soon as the token is open), which then asks for confirmation.

import SwiftUI
import TesseraKit

struct RootView: View {
    @ObservedObject var app: AppModel
    let token: Token
    @StateObject private var unlock: UnlockViewModel

    init(app: AppModel, token: Token) {
        self.app = app
        self.token = token
        _unlock = StateObject(wrappedValue: UnlockViewModel(token: token))
    }

    var body: some View {
        Group {
            switch unlock.state {
            case nil:
                ProgressView()
            case .noToken?:
                NavigationStack {
                    AddIdentityScreen(token: token, app: app, onClose: { unlock.refresh() })
                }
            case .needsPin?, .lockedOut?:
                UnlockView(model: unlock)
            case .unlocked?:
                IdentityListScreen(token: token, app: app, onLock: { unlock.refresh() })
            }
        }
        .onAppear { unlock.refresh() }
        .onChange(of: app.lockCount) { _ in unlock.refresh() }
    }
}
