// Where the vault lives: Application Support/Tessera, with complete file protection (its files
// cannot be read while the device is locked) and excluded from iCloud and computer backups (the
// PIN slot is sealed by a key that never leaves this device, so a restored copy could not be
// opened with the PIN anyway; the recovery key is the way to move a token).

import Foundation

enum VaultFolder {
    static func prepare() throws -> URL {
        let support = try FileManager.default.url(
            for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
        var folder = support.appendingPathComponent("Tessera", isDirectory: true)
        let protection: [FileAttributeKey: Any] = [.protectionKey: FileProtectionType.complete]
        try FileManager.default.createDirectory(
            at: folder, withIntermediateDirectories: true, attributes: protection)
        // Also for a folder made by an earlier version: files created inside inherit its class.
        try FileManager.default.setAttributes(protection, ofItemAtPath: folder.path)
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        try folder.setResourceValues(values)
        return folder
    }
}
