// The clipboard: UIPasteboard's general pasteboard. Copies are kept off other devices
// (Universal Clipboard) and expire on their own after the same delay the copier clears them at,
// so a code leaves the clipboard even if the app is suspended meanwhile. Whether a copy is still
// there is told by the pasteboard's change count, never by reading it back (which would make
// iOS ask the person for permission to paste).

import TesseraKit
import UIKit
import UniformTypeIdentifiers

@MainActor
final class SystemPasteboard: Clipboard {
    private var last: (text: String, change: Int)?

    func copy(_ text: String) {
        let expiry = Date().addingTimeInterval(TimeInterval(Copier.clearAfterSeconds))
        UIPasteboard.general.setItems(
            [[UTType.utf8PlainText.identifier: text]],
            options: [.localOnly: true, .expirationDate: expiry])
        last = (text, UIPasteboard.general.changeCount)
    }

    func holds(_ text: String) -> Bool {
        guard let last else { return false }
        return last.text == text && last.change == UIPasteboard.general.changeCount
    }

    func clear() {
        UIPasteboard.general.items = []
        last = nil
    }
}
