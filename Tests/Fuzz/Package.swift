// swift-tools-version: 6.0
// libFuzzer targets for Spindle's decoders and parsers. Build and run them with `./run` (see its header);
// they need `-sanitize=fuzzer,address -parse-as-library`, which only `./run` passes. Targets that attack the
// protocol and the argument parser use `@testable import SpindleCore` (those types are `package`, not part of
// Spindle's public API); `./run` builds in debug, where testable imports work.
import PackageDescription

/// The fuzz targets; each is an executable whose only entry point is `LLVMFuzzerTestOneInput`.
let targets = [
    "FuzzFrameDecoder", "FuzzHandshake", "FuzzControlMessage", "FuzzWireReader",
    "FuzzEdgeListParser", "FuzzLineScanner", "FuzzArgumentParser", "FuzzInflate", "FuzzJournal",
]

let package = Package(
    name: "SpindleFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Spindle", path: "../..")],
    targets: [
        .target(name: "CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"]),
    ] + targets.map { name in
        .executableTarget(
            name: name,
            dependencies: [
                "FuzzSupport",
                .product(name: "Spindle", package: "Spindle"),
            ])
    },
    swiftLanguageModes: [.v6]
)
