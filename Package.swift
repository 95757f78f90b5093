// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Spindle",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Spindle", targets: ["Spindle"]),
        .library(name: "SpindleJobs", targets: ["SpindleJobs"]),
        .executable(name: "spindle", targets: ["spindle"]),
    ],
    targets: [
        // Pure logic, no I/O: wire codec and frames, crypto, scheduler, heartbeat monitor, CLI parsing.
        .target(name: "SpindleCore", dependencies: ["CSpindleCRC32"]),
        // CRC-32 by carry-less multiplies (x86-64 PCLMULQDQ) for gzip input, and CRC-32C by the CPU's instruction
        // (x86-64 SSE 4.2, aarch64 CRC) for the exchange; chosen at run time, tables otherwise.
        .target(name: "CSpindleCRC32"),
        // The only module that imports Glibc: sockets, files, mmap, processes, clocks.
        .target(name: "SpindlePosix", dependencies: ["SpindleCore"]),
        // The runtime shell and public API: coordinator, worker, launcher, exchange, engines, CLI.
        .target(name: "Spindle", dependencies: ["SpindleCore", "SpindlePosix"]),
        // The project's own tools, outside the runtime library: `spindle bench`, `spindle generate` and the
        // data generators behind the sample datasets, and the fault-injecting demo job `checksum`.
        .target(name: "SpindleTools", dependencies: ["Spindle", "SpindleCore", "SpindlePosix"]),
        // The built-in jobs (their sample inputs come from SpindleTools' generators).
        .target(name: "SpindleJobs", dependencies: ["Spindle", "SpindleTools"], path: "Jobs"),
        .executableTarget(name: "spindle", dependencies: ["Spindle", "SpindleJobs", "SpindleTools"]),
        // Test-only jobs (fault injection, invocation counting), built like a user's own executable.
        .executableTarget(
            name: "spindle-testjobs", dependencies: ["Spindle", "SpindleJobs", "SpindleTools", "SpindleCore", "SpindlePosix"], path: "Tests/TestJobs"),
        .testTarget(name: "SpindleCoreTests", dependencies: ["SpindleCore"]),
        .testTarget(name: "SpindlePosixTests", dependencies: ["SpindlePosix"]),
        .testTarget(name: "SpindleTests", dependencies: [
                "Spindle", "SpindleTools", "SpindleJobs", "SpindleCore", "SpindlePosix", "spindle", "spindle-testjobs",
            ]),
    ],
    swiftLanguageModes: [.v6]
)
