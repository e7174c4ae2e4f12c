// Small pieces the screens share: a field with its error beneath it, a screen-wide error, the
// countdown ring, and codes and keys drawn so that they cannot be selected (copies go through
// the copier, whose clipboard rules clear them again).

import SwiftUI
import TesseraKit

/// A text or secure field with the core's refusal shown right beneath it.
struct Field: View {
    let title: String
    @Binding var text: String
    var error: String?
    var secure = false
    var keyboard: UIKeyboardType = .default

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            Group {
                if secure {
                    SecureField(title, text: $text)
                } else {
                    TextField(title, text: $text)
                }
            }
            .keyboardType(keyboard)
            .textInputAutocapitalization(.never)
            .autocorrectionDisabled()
            .accessibilityHint(error ?? "")
            ErrorText(error)
        }
    }
}

/// A refusal in the core's words, in red; nothing when there is none.
struct ErrorText: View {
    let message: String?

    init(_ message: String?) {
        self.message = message
    }

    var body: some View {
        if let message {
            Text(message)
                .font(.footnote)
                .foregroundStyle(.red)
                .fixedSize(horizontal: false, vertical: true)
        }
    }
}

/// The share of a code's period still to run, as a ring that empties.
struct CountdownRing: View {
    let remaining: Double

    var body: some View {
        ZStack {
            Circle().stroke(.quaternary, lineWidth: 3)
            Circle()
                .trim(from: 0, to: remaining)
                .stroke(remaining > 0.2 ? Color.accentColor : .orange, style: .init(lineWidth: 3, lineCap: .round))
                .rotationEffect(.degrees(-90))
                .animation(.linear(duration: 1), value: remaining)
        }
        .frame(width: 24, height: 24)
        .accessibilityHidden(true)
    }
}

/// A code in large monospaced digits, grouped as the core grouped it.
struct CodeText: View {
    let grouped: String

    var body: some View {
        Text(grouped)
            .font(.system(.title, design: .monospaced).weight(.semibold))
            .textSelection(.disabled)
    }
}

/// A recovery key to write down. Not selectable: the screen's Copy button is the only way to
/// the clipboard.
struct RecoveryKeyText: View {
    let key: String

    var body: some View {
        Text(key)
            .font(.system(.title3, design: .monospaced))
            .textSelection(.disabled)
    }
}
