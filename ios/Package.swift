// swift-tools-version: 5.9
// GridlineShell: the iOS shell's platform layer (no UIKit, no SwiftUI): the
// core bridge and every effect handler, on Foundation. The app target
// (App/, XcodeGen) depends on it; on Linux its tests run against the real
// Rust library and a live server (scripts/swift-test).
import PackageDescription

let package = Package(
    name: "GridlineShell",
    platforms: [.iOS(.v16), .macOS(.v13)],
    products: [
        .library(name: "GridlineShell", targets: ["GridlineShell"]),
    ],
    dependencies: [
        // crux's generated types (scripts/bindings).
        .package(path: "generated/SharedTypes"),
    ],
    targets: [
        // The C side of the uniffi bindings: the generated header, and the
        // library to link (libgridline_mobile; the xcframework on iOS).
        .systemLibrary(name: "GridlineFFIFFI", path: "GridlineFFIFFI"),
        // The uniffi Swift bindings (scripts/bindings).
        .target(
            name: "GridlineFFI",
            dependencies: ["GridlineFFIFFI"],
            path: "generated/GridlineFFI",
            exclude: ["GridlineFFIFFI.h", "GridlineFFIFFI.modulemap"],
            sources: ["GridlineFFI.swift"]
        ),
        .target(
            name: "GridlineShell",
            dependencies: ["GridlineFFI", .product(name: "SharedTypes", package: "SharedTypes")]
        ),
        // Writes a value and waits to be killed before the rename (the
        // storage crash test runs it).
        .executableTarget(name: "crashing-writer", dependencies: ["GridlineShell"]),
        .testTarget(
            name: "GridlineShellTests",
            dependencies: ["GridlineShell", "GridlineFFI", .product(name: "SharedTypes", package: "SharedTypes")]
        ),
    ]
)
