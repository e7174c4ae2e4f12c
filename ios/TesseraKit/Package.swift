// swift-tools-version:5.10
// (5.10: the generated bindings use `nonisolated(unsafe)`, so Xcode 15.3 or newer.)
//
// TesseraKit: the generated UniFFI bindings (module TesseraFFI over the C module TesseraFFIC)
// plus a thin Swift facade (async wrappers, a ticking code stream, view models).
//
// The generated files are build outputs copied in before a build (see docs/building.md):
//   Sources/TesseraFFIC/include/{TesseraFFIC.h,module.modulemap}  and  Sources/TesseraFFI/TesseraFFI.swift
//
// Linux (tests and the benchmark on this project's machines): the C module links the host's
// libtessera_ffi.so from TESSERA_FFI_LIB_DIR (default ../../target/debug), an rpath included.
// Apple platforms: the C module is TesseraFFI.xcframework (static libraries for device and
// simulator plus the header and module map), made by the XCFramework build.
import PackageDescription

#if os(Linux)
let ffiLibDir = Context.environment["TESSERA_FFI_LIB_DIR"]
    ?? Context.packageDirectory + "/../../target/debug"
let ffiModule: Target = .target(
    name: "TesseraFFIC",
    path: "Sources/TesseraFFIC",
    linkerSettings: [
        .unsafeFlags(["-L\(ffiLibDir)", "-Xlinker", "-rpath", "-Xlinker", ffiLibDir]),
        .linkedLibrary("tessera_ffi"),
    ]
)
#else
let ffiModule: Target = .binaryTarget(name: "TesseraFFIC", path: "TesseraFFI.xcframework")
#endif

let package = Package(
    name: "TesseraKit",
    platforms: [.iOS(.v16), .macOS(.v13)],
    products: [
        .library(name: "TesseraKit", targets: ["TesseraKit"]),
    ],
    targets: [
        ffiModule,
        // The generated Swift bindings, unchanged.
        .target(
            name: "TesseraFFI",
            dependencies: ["TesseraFFIC"],
            path: "Sources/TesseraFFI"
        ),
        .target(
            name: "TesseraKit",
            dependencies: ["TesseraFFI"],
            path: "Sources/TesseraKit",
            swiftSettings: [.enableExperimentalFeature("StrictConcurrency")]
        ),
        // A warm loop timing codes through Swift: `swift run -c release TesseraBench`.
        .executableTarget(
            name: "TesseraBench",
            dependencies: ["TesseraKit"],
            path: "Sources/TesseraBench"
        ),
        .testTarget(
            name: "TesseraKitTests",
            dependencies: ["TesseraKit"],
            path: "Tests/TesseraKitTests"
        ),
    ]
)
