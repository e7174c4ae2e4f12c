// What every screen model shares: a change callback. Debian's Swift 6.0.3 cannot link the
// Observation module on Linux, so the models are plain main-actor classes that call `onChange`
// after each change (what the tests here watch); on Apple platforms they are also
// `ObservableObject`s (the change bumps a `@Published` revision), so SwiftUI views can hold
// them with `@StateObject`.

#if canImport(Combine)
import Combine
#endif

/// A screen's state holder. Main-actor bound: screens read and change it from the main thread.
@MainActor
open class ViewModel {
    /// Called after any property a screen shows changed.
    public var onChange: (@MainActor () -> Void)?

    #if canImport(Combine)
    @Published private var revision = 0
    #else
    private var revision = 0
    #endif

    public init() {}

    /// Subclasses call this after changing what a screen shows, inputs included (pickers and
    /// steppers bound to an input redraw only when told).
    func changed() {
        revision &+= 1
        onChange?()
    }
}

#if canImport(Combine)
extension ViewModel: ObservableObject {}
#endif
