// The iOS app's declarations, which no Linux build compiles: the Info.plist opens both link
// schemes and explains the camera, the privacy manifest declares no tracking and no collected
// data, the entitlements protect files completely, and the store listing fits its limits, names
// no trademark in its keywords, and has its icon, privacy policy and support page.

import Foundation
import XCTest

final class AppManifestTests: XCTestCase {
    /// ios/ in this repository (found from the vectors folder the tests already locate).
    private var iosFolder: URL {
        Fixture.vectorsFolder.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ios")
    }

    private func plist(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: iosFolder.appendingPathComponent(path))
        return try XCTUnwrap(
            try PropertyListSerialization.propertyList(from: data, format: nil) as? [String: Any], path)
    }

    func testInfoPlistOpensBothLinkSchemesAndExplainsTheCamera() throws {
        let info = try plist("Tessera/Tessera/Info.plist")
        let types = try XCTUnwrap(info["CFBundleURLTypes"] as? [[String: Any]])
        let schemes = types.flatMap { $0["CFBundleURLSchemes"] as? [String] ?? [] }
        XCTAssertEqual(Set(schemes), ["igmobileotp", "otpauth"])
        let camera = try XCTUnwrap(info["NSCameraUsageDescription"] as? String)
        XCTAssertTrue(camera.contains("QR code"), camera)
        XCTAssertEqual(info["CFBundleIdentifier"] as? String, "$(PRODUCT_BUNDLE_IDENTIFIER)")
    }

    func testPrivacyManifestDeclaresNoTrackingAndNoCollectedData() throws {
        let manifest = try plist("Tessera/Tessera/PrivacyInfo.xcprivacy")
        XCTAssertEqual(manifest["NSPrivacyTracking"] as? Bool, false)
        XCTAssertEqual((manifest["NSPrivacyTrackingDomains"] as? [Any])?.count, 0)
        XCTAssertEqual((manifest["NSPrivacyCollectedDataTypes"] as? [Any])?.count, 0)
        let apis = try XCTUnwrap(manifest["NSPrivacyAccessedAPITypes"] as? [[String: Any]])
        for api in apis {
            XCTAssertFalse((api["NSPrivacyAccessedAPITypeReasons"] as? [String] ?? []).isEmpty, "\(api)")
        }
        let entitlements = try plist("Tessera/Tessera/Tessera.entitlements")
        XCTAssertEqual(
            entitlements["com.apple.developer.default-data-protection"] as? String,
            "NSFileProtectionComplete")
    }

    func testStoreListingFitsTheStoresLimits() throws {
        let limits = [
            "name.txt": 30, "subtitle.txt": 30, "keywords.txt": 100, "promotional_text.txt": 170,
            "description.txt": 4_000, "release_notes.txt": 4_000,
        ]
        for (file, limit) in limits {
            let url = iosFolder.appendingPathComponent("metadata/en-US").appendingPathComponent(file)
            let text = try String(contentsOf: url, encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            XCTAssertFalse(text.isEmpty, file)
            XCTAssertLessThanOrEqual(text.count, limit, file)
        }
        let privacy = try String(
            contentsOf: iosFolder.appendingPathComponent("metadata/en-US/privacy_url.txt"), encoding: .utf8)
        XCTAssertNotNil(URL(string: privacy.trimmingCharacters(in: .whitespacesAndNewlines))?.host)
    }

    private func listing(_ file: String) throws -> String {
        try String(
            contentsOf: iosFolder.appendingPathComponent("metadata/en-US").appendingPathComponent(file),
            encoding: .utf8
        ).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testTheKeywordsNameNoTrademarkAndTheDescriptionAttributesThem() throws {
        let keywords = try listing("keywords.txt").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        XCTAssertGreaterThan(keywords.count, 5)
        for trademark in ["identityguard", "entrust", "steam", "google", "microsoft"] {
            XCTAssertFalse(keywords.contains { $0.contains(trademark) }, "\(trademark) in \(keywords)")
        }
        let description = try listing("description.txt")
        XCTAssertTrue(description.contains("Entrust IdentityGuard"), "compatibility is described")
        XCTAssertTrue(
            description.contains("Entrust and IdentityGuard are trademarks of Entrust Corporation"))
        XCTAssertTrue(description.contains("Steam is a trademark of Valve Corporation"))
        XCTAssertTrue(description.contains("not made, endorsed or supported"))
    }

    func testTheAppIconIsOneOpaque1024PixelPng() throws {
        let set = iosFolder.appendingPathComponent("Tessera/Tessera/Assets.xcassets/AppIcon.appiconset")
        let contents = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(contentsOf: set.appendingPathComponent("Contents.json")))
                as? [String: Any])
        let images = try XCTUnwrap(contents["images"] as? [[String: Any]])
        XCTAssertEqual(images.count, 1, "one universal 1024 px icon; Xcode makes the other sizes")
        XCTAssertEqual(images.first?["size"] as? String, "1024x1024")
        let name = try XCTUnwrap(images.first?["filename"] as? String)
        let png = [UInt8](try Data(contentsOf: set.appendingPathComponent(name)))
        XCTAssertGreaterThan(png.count, 33)
        XCTAssertEqual(Array(png[0..<8]), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG")
        XCTAssertEqual(String(decoding: png[12..<16], as: UTF8.self), "IHDR")
        let bigEndian = { (at: Int) in png[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        XCTAssertEqual([bigEndian(16), bigEndian(20)], [1024, 1024])
        XCTAssertEqual(png[24], 8, "8 bits per channel")
        XCTAssertEqual(png[25], 2, "RGB without alpha: App Store Connect refuses a transparent icon")
    }

    func testTheListingLinksAPrivacyPolicyAndASupportPage() throws {
        let privacy = try XCTUnwrap(URL(string: try listing("privacy_url.txt")))
        let support = try XCTUnwrap(URL(string: try listing("support_url.txt")))
        for url in [privacy, support] {
            XCTAssertEqual(url.scheme, "https", "\(url)")
            XCTAssertNotNil(url.host, "\(url)")
        }
        XCTAssertNotEqual(privacy, support)
        // The pages those addresses publish.
        let docs = iosFolder.deletingLastPathComponent().appendingPathComponent("docs")
        let policy = try String(contentsOf: docs.appendingPathComponent("privacy.md"), encoding: .utf8)
        XCTAssertTrue(policy.contains("Tessera collects nothing"))
        XCTAssertTrue(policy.contains("camera"))
        let help = try String(contentsOf: docs.appendingPathComponent("support.md"), encoding: .utf8)
        XCTAssertTrue(help.contains("issue"), "says where to ask")
    }

    func testTheExportComplianceAnswerIsDeclaredAndExplained() throws {
        let info = try plist("Tessera/Tessera/Info.plist")
        XCTAssertEqual(info["ITSAppUsesNonExemptEncryption"] as? Bool, false)
        let building = try String(
            contentsOf: iosFolder.deletingLastPathComponent().appendingPathComponent("docs/building.md"),
            encoding: .utf8)
        XCTAssertTrue(building.contains("### Export compliance"), "the reasoning is written down")
    }
}
