// Add Identity's scan screen: camera frames (a luminance plane with a row stride wider than
// the picture) go to the core's QR decoder through the view model. The QR modules below were
// made with the `qrcode` crate (error correction M) from the texts named beside them; the tests
// check that scanning them enters exactly those texts.

import TesseraKit
import XCTest

@MainActor
final class ScanTests: XCTestCase {
    /// `Fixture.hotpLink` as QR modules ('#' dark).
    private static let hotpLinkModules = [
        "#######.##...#.#.#.#.######...#...#######",
        "#.....#.#.####.##.#....#.#.###..#.#.....#",
        "#.###.#....#.##.##.#...#....#.....#.###.#",
        "#.###.#.###..###...#.#.##.#...##..#.###.#",
        "#.###.#...##..####.##.###.###..#..#.###.#",
        "#.....#...#####.##.#.##..#.#.###..#.....#",
        "#######.#.#.#.#.#.#.#.#.#.#.#.#.#.#######",
        "........######.#####..###.##.####........",
        "#.##.###..#.....###..#.##....#.#..#..#.##",
        ".#.###..#.#..#...#####.#.#..#.##..#.###.#",
        ".##.#.#.#.##..#..##.#..##....##.#..#.#..#",
        ".#.#.#....####.##.....##..#...#....##..#.",
        "#..#.##.###..##.######..#..###.#.###.##..",
        "#.####..######...#..#.####....#.###..####",
        ".#.##.#.#...#.#.#..#####......##.#####.##",
        ".##.#..##.#.#.#..##....#.#.#.##....#.#...",
        "...##.##.#.##.#..#...#...##.##.###..#....",
        "###.##....#.##..#.#..#.#.######..#.#...#.",
        "#######.##.#.##.#.##..###...##..##.##.#..",
        "#.#....#.#..#...######..#........###....#",
        ".....##..##...###..##..#.#.##.#######..#.",
        ".#......#..#..##.#...#.#####.######.#.###",
        "....#.###....#....#...####..#.#..#.##..#.",
        ".#####.##.#.##.##.###...###.#.#.....###..",
        ".#..#.#..##.#....#..#.##..####..####.##..",
        ".#...#....#####..######.##.###.###.#.####",
        "#.##.##...##..#..#.####.##....##.....#...",
        "..####.....###.#.##..#...##.#.#....###...",
        ".#.#.####.#.....#...######.#...#....##...",
        ".####....#.#.##.#.####...#....##.##.....#",
        "#.##..###.####...###.#...#...###.....#.#.",
        "...#.#.##.#...#..###.###.#######...#.##.#",
        ".###.##....###.###..###.#..#.#..#####.###",
        "........####.#..##.#.##.###.....#...#.###",
        "#######.##..#...#.##...###.#.#..#.#.####.",
        "#.....#.#####...##.#..........###...#..##",
        "#.###.#..###...##..#.#.##.##..#######....",
        "#.###.#.##..##...#.##.###.##..#..#.####.#",
        "#.###.#.#..#.....#.########.....#..#..#.#",
        "#.....#..#.#.......#.#.##..##.#.#...#..#.",
        "#######.###...###.#.###..#.#..####.#.#.#.",
    ]
    /// "https://example.com/setup" as QR modules.
    private static let webModules = [
        "#######.#...#.#...#######",
        "#.....#.#.#.#...#.#.....#",
        "#.###.#.####.##.#.#.###.#",
        "#.###.#..##..#..#.#.###.#",
        "#.###.#.##...##.#.#.###.#",
        "#.....#...#.#.#.#.#.....#",
        "#######.#.#.#.#.#.#######",
        ".........##..#.##........",
        "#..######.##....##..#.###",
        ".#...#.#.....#####.#####.",
        "#.##..#..#...#.###.###..#",
        "###..#...#.#..#..###.####",
        "...#######.##..##.##....#",
        "##..#..##.#..#.##...#..#.",
        "##.#..##...##..##.#.#####",
        "#..#.......#.....###.##.#",
        "#..##.###...##..#####.##.",
        "........##.##...#...#.##.",
        "#######.##.###..#.#.#...#",
        "#.....#.#.#.##.##...#..##",
        "#.###.#.##....#######....",
        "#.###.#.#.##....###....##",
        "#.###.#....#...#.#..#####",
        "#.....#..###...#...##.###",
        "#######.#.##....#.#..#..#",
    ]

    /// A frame as a camera would give it: 4 modules of quiet zone, `scale` pixels per module,
    /// dark 30 and light 220, each row padded to `rowStride` bytes with bytes the picture does
    /// not use.
    private func frame(_ modules: [String], scale: Int = 3, padding: Int = 13)
        -> (width: UInt32, height: UInt32, rowStride: UInt32, luma: Data)
    {
        let side = (modules.count + 8) * scale
        let stride = side + padding
        var luma = [UInt8](repeating: 0x5A, count: stride * side)
        for y in 0..<side {
            for x in 0..<side {
                let (row, column) = (y / scale - 4, x / scale - 4)
                let dark =
                    modules.indices.contains(row) && column >= 0 && column < modules[row].count
                    && Array(modules[row])[column] == "#"
                luma[y * stride + x] = dark ? 30 : 220
            }
        }
        return (UInt32(side), UInt32(side), UInt32(stride), Data(luma))
    }

    func testAScannedLinkIsEnteredAndAdded() async throws {
        let (session, fixture, _) = try tokenWithTotp(try temporaryFolder(self))
        let model = try AddIdentityViewModel(token: Token(session: session), copier: fakeCopier().0)
        model.choose(.scan)

        let blank = frame([])
        let found = await model.scanFrame(
            width: blank.width, height: blank.height, rowStride: blank.rowStride, luma: blank.luma)
        XCTAssertFalse(found, "no QR code in an empty frame")
        XCTAssertEqual(model.step, .start)
        XCTAssertEqual(model.fieldErrors, [:])

        let qr = frame(Self.hotpLinkModules)
        let read = await model.scanFrame(
            width: qr.width, height: qr.height, rowStride: qr.rowStride, luma: qr.luma)
        XCTAssertTrue(read)
        XCTAssertEqual(model.link, Fixture.hotpLink)
        let added = try done(model.step).identity
        XCTAssertEqual(added.name, "counter")
        XCTAssertEqual(try session.identities().map(\.id), [fixture.id, added.id])

        let again = await model.scanFrame(
            width: qr.width, height: qr.height, rowStride: qr.rowStride, luma: qr.luma)
        XCTAssertFalse(again, "frames after the step moved on are not read")
        XCTAssertEqual(try session.identities().count, 2)
    }

    func testARefusedCodeIsShownBesideTheLinkAndNotEnteredAgain() async throws {
        let token = try Token(folder: try temporaryFolder(self), protector: nil)
        let model = try AddIdentityViewModel(token: token, copier: fakeCopier().0)
        model.choose(.scan)
        let web = frame(Self.webModules, scale: 4, padding: 0)
        let first = await model.scanFrame(
            width: web.width, height: web.height, rowStride: web.rowStride, luma: web.luma)
        XCTAssertTrue(first)
        XCTAssertEqual(model.link, "https://example.com/setup")
        XCTAssertEqual(
            model.fieldErrors, [.link: "the link must start with otpauth:// or igmobileotp://"])

        model.link = ""
        let second = await model.scanFrame(
            width: web.width, height: web.height, rowStride: web.rowStride, luma: web.luma)
        XCTAssertTrue(second)
        XCTAssertEqual(model.link, "", "the same refused code is not entered again")
        XCTAssertEqual(model.step, .start)

        // A frame that does not fit its own dimensions: the core names the problem.
        let misshapen = await model.scanFrame(width: 10, height: 10, rowStride: 9, luma: Data(count: 100))
        XCTAssertFalse(misshapen)
        XCTAssertNotNil(model.fieldErrors[.scan])
        XCTAssertEqual(try token.session.status(), .noToken)
    }
}
