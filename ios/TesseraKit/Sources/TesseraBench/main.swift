// A warm loop timing codes made through Swift and the FFI (docs/PERFORMANCE.md, "Swift").
//
// Run by `scripts/swift-test.sh --bench`, which builds the release libtessera_ffi and runs
// `swift run -c release TesseraBench` in the Swift root. TESSERA_BENCH_ITERATIONS sets the
// loop length (default 200,000). Figures only; nothing is asserted.

import Foundation
import TesseraKit

let iterations = Int(ProcessInfo.processInfo.environment["TESSERA_BENCH_ITERATIONS"] ?? "") ?? 200_000
let secret = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"
let link = "otpauth://totp/Bench:bench@example.com?secret=\(secret)&issuer=Bench"

/// Microseconds per call of `body`, after a warm-up of a tenth of the loop.
func microsecondsPerCall(_ body: (UInt64) throws -> String) rethrows -> Double {
    var sink = 0
    for i in 0..<(iterations / 10) {
        sink &+= try body(1_700_000_000 + UInt64(i)).utf8.count
    }
    let start = DispatchTime.now().uptimeNanoseconds
    for i in 0..<iterations {
        sink &+= try body(1_700_000_000 + UInt64(i)).utf8.count
    }
    let elapsed = DispatchTime.now().uptimeNanoseconds - start
    precondition(sink > 0)
    return Double(elapsed) / Double(iterations) / 1_000
}

let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("tessera-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }

// A token with one TOTP identity (one KDF run), unlocked.
let session = try TokenSession(folder: folder.path, protector: nil)
let flow = try session.addIdentity()
_ = try flow.enterLink(link: link)
_ = try flow.setPin(pin: "4739")
guard case let .done(identity, _, _) = try flow.confirmPin(pin: "4739") else {
    fatalError("the flow did not finish")
}

let viaSession = try microsecondsPerCall { time in
    try session.codeAt(identityId: identity.id, unixTime: time).code
}
let viaFunction = try microsecondsPerCall { time in
    try totpCode(secretText: secret, algorithm: .sha1, digits: 6, period: 30, unixTime: time)
}
print("iterations: \(iterations)")
print(String(format: "codeAt (TokenSession, TOTP SHA-1 6 digits): %.2f µs per code", viaSession))
print(String(format: "totpCode (free function, TOTP SHA-1 6 digits): %.2f µs per code", viaFunction))
