// swift-tools-version: 6.0
// A user's own package: it depends on Spindle and defines a job with closures. CI builds and runs it.
import PackageDescription

let package = Package(
    name: "UserPackage",
    dependencies: [.package(name: "Spindle", path: "../../..")],
    targets: [
        .executableTarget(name: "letters", dependencies: [.product(name: "Spindle", package: "Spindle")])
    ]
)
