// The RFC vectors and the IdentityGuard vector, through the generated free functions: the same
// files the Rust and Kotlin suites read.

import TesseraKit
import XCTest

final class VectorTests: XCTestCase {
    /// RFC 4226 Appendix D: HOTP, SHA-1, counters 0-9.
    func testRfc4226HotpVectors() throws {
        let cases = try Fixture.cases("rfc4226-hotp.json")
        XCTAssertEqual(cases.count, 10)
        for c in cases {
            let code = try hotpCode(
                secretText: "hex:" + c.string("secret_hex"),
                counter: try XCTUnwrap(c.optionalUInt64("counter")),
                algorithm: try hashAlgorithm(c.string("algorithm")),
                digits: UInt8(try c.int("digits")))
            XCTAssertEqual(code, try c.string("expected"), "counter \(c["counter"] ?? "?")")
        }
    }

    /// RFC 6238 Appendix B: TOTP, SHA-1/256/512, 8 digits, 30-second steps, 64-bit times.
    func testRfc6238TotpVectors() throws {
        let cases = try Fixture.cases("rfc6238-totp.json")
        XCTAssertEqual(cases.count, 18)
        for c in cases {
            let time = try XCTUnwrap(c.optionalUInt64("time"))
            let code = try totpCode(
                secretText: "hex:" + c.string("secret_hex"),
                algorithm: try hashAlgorithm(c.string("algorithm")),
                digits: UInt8(try c.int("digits")),
                period: UInt32(try c.int("step")),
                unixTime: time)
            XCTAssertEqual(code, try c.string("expected"), "\(c["algorithm"] ?? "?") at \(time)")
        }
    }

    /// RFC 6287 Appendix C: every OCRA table (one-way, mutual, plain signature), with the PIN
    /// given as text and again as its SHA-1 hash.
    func testRfc6287OcraVectors() throws {
        let cases = try Fixture.cases("rfc6287-ocra.json")
        XCTAssertEqual(cases.count, 70)
        for c in cases {
            let suite = try c.string("suite")
            let label = "\(suite) \(try c.string("question"))"
            // Timestamps are in the suite's steps; every time-based vector uses T1M (minutes).
            let unixTime = c.optionalUInt64("timestamp").map { $0 * 60 }
            let code = try ocraResponse(
                suite: suite,
                secretText: "hex:" + c.string("secret_hex"),
                question: c.string("question"),
                counter: c.optionalUInt64("counter"),
                pin: c.optionalString("password"),
                pinHashHex: nil,
                sessionHex: nil,
                unixTime: unixTime)
            XCTAssertEqual(code, try c.string("expected"), label)
            if let hash = c.optionalString("password_hash_hex") {
                let fromHash = try ocraResponse(
                    suite: suite,
                    secretText: "hex:" + c.string("secret_hex"),
                    question: c.string("question"),
                    counter: c.optionalUInt64("counter"),
                    pin: nil,
                    pinHashHex: hash,
                    sessionHex: nil,
                    unixTime: unixTime)
                XCTAssertEqual(fromHash, try c.string("expected"), "\(label), PIN hash")
            }
        }
    }

    /// The spec's public IdentityGuard vector: codes from the activation data equal TOTP
    /// (SHA-256, 6 digits, 30 s) over the secret the spec publishes, with and without the policy.
    func testIdentityGuardCodesMatchThePublishedSecrets() throws {
        let derivations = try Fixture.cases("identityguard.json", "derivation")
        XCTAssertEqual(derivations.count, 2)
        for d in derivations {
            let secret = "hex:" + (try d.string("secret_hex"))
            let name = try d.string("name")
            for time: UInt64 in [0, 59, Fixture.time, 2_000_000_000, 20_000_000_000] {
                let fromActivation = try identityguardCode(
                    serial: d.string("serial"),
                    activation: d.string("activation"),
                    registration: d.string("registration"),
                    policy: d.optionalString("policy"),
                    digits: 6,
                    unixTime: time)
                let fromSecret = try totpCode(
                    secretText: secret, algorithm: .sha256, digits: 6, period: 30, unixTime: time)
                XCTAssertEqual(fromActivation, fromSecret, "\(name) at \(time)")
                XCTAssertEqual(fromActivation.count, 6)
            }
        }
        // The published secret itself, independent of the vector file.
        XCTAssertEqual(
            try identityguardCode(
                serial: "48244-13456", activation: "1745-7712-6942-8698",
                registration: "12211-49352",
                policy: #"{"allowUnsecured":"false","trustedExecution":"NOT_ALLOWED"}"#,
                digits: 6, unixTime: Fixture.time),
            try totpCode(
                secretText: "hex:bb9b6d72ae99b006de5e106935ec96da", algorithm: .sha256,
                digits: 6, period: 30, unixTime: Fixture.time))
    }

    /// The free functions refuse bad input with the field named.
    func testFreeFunctionsNameTheBadInput() throws {
        let badSecret = try tokenError {
            try totpCode(secretText: "not base32!", algorithm: .sha1, digits: 6, period: 30, unixTime: 0)
        }
        XCTAssertEqual(badSecret.field, .secret, "\(badSecret)")
        let badSerial = try tokenError {
            try identityguardCode(
                serial: "48244-13457", activation: Fixture.activation, registration: "12211-49352",
                policy: nil, digits: 6, unixTime: 0)
        }
        XCTAssertEqual(
            badSerial,
            .InvalidInput(
                field: .serialNumber,
                message: "the serial number has a typo: its check digit does not match"))
        let badSuite = try tokenError {
            try ocraResponse(
                suite: "OCRA-2:HOTP-SHA1-6:QN08", secretText: "hex:3132", question: "1",
                counter: nil, pin: nil, pinHashHex: nil, sessionHex: nil, unixTime: nil)
        }
        XCTAssertEqual(badSuite.field, .ocraSuite, "\(badSuite)")
        XCTAssertEqual(try groupCode(code: "123456"), "123 456")
        XCTAssertEqual(try groupCode(code: "12345678"), "1234 5678")
    }
}
