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
        .target(name: "SpindleCore"),
        // The only module that imports Glibc: sockets, files, mmap, processes, clocks.
        .target(name: "SpindlePosix", dependencies: ["SpindleCore"]),
        // The runtime shell and public API: coordinator, worker, launcher, exchange, engines, CLI.
        .target(name: "Spindle", dependencies: ["SpindleCore", "SpindlePosix"]),
        // The built-in jobs.
        .target(name: "SpindleJobs", dependencies: ["Spindle"], path: "Jobs"),
        .executableTarget(name: "spindle", dependencies: ["Spindle", "SpindleJobs"]),
        // Test-only jobs (fault injection, invocation counting), built like a user's own executable.
        .executableTarget(name: "spindle-testjobs", dependencies: ["Spindle", "SpindleJobs", "SpindleCore"], path: "Tests/TestJobs"),
        .testTarget(name: "SpindleCoreTests", dependencies: ["SpindleCore"]),
        .testTarget(name: "SpindlePosixTests", dependencies: ["SpindlePosix"]),
        .testTarget(name: "SpindleTests", dependencies: ["Spindle", "SpindleJobs", "SpindleCore", "SpindlePosix", "spindle", "spindle-testjobs"]),
    ],
    swiftLanguageModes: [.v6]
)
