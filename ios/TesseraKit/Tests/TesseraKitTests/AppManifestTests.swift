// The iOS app's declarations, which no Linux build compiles: the Info.plist opens both link
// schemes and explains the camera, the privacy manifest declares no tracking and no collected
// data, the entitlements protect files completely, and the store listing fits its limits.

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
}
