/// The files `spindle init NAME` writes: a Swift package whose executable `NAME` runs its own Spindle jobs
/// (one MapReduce job, one Pregel job), with tests that compare each job with a sequential reference, a
/// small sample input and a README. Pure: it only builds the texts.
struct PackageTemplate {
    /// Where the new package gets Spindle from.
    enum Dependency: Equatable {
        /// A local checkout (an absolute path to the directory holding Spindle's Package.swift).
        case path(String)
        /// A git URL, followed on its `main` branch.
        case url(String)
    }

    /// The package, executable and module name: a valid Swift identifier.
    let name: String
    let dependency: Dependency

    /// The files to write, as paths relative to the package root and their contents.
    var files: [(path: String, text: String)] {
        [
            ("Package.swift", packageManifest),
            ("README.md", readme),
            (".gitignore", ".build/\n.swiftpm/\nout/\n"),
            ("Sources/\(name)/main.swift", main),
            ("Sources/\(name)/WordCount.swift", wordCountJob),
            ("Sources/\(name)/Hops.swift", hopsJob),
            ("Sources/\(name)/SampleData.swift", sampleData),
            ("Tests/\(name)Tests/JobTests.swift", jobTests),
            ("Tests/\(name)Tests/TestPackage.swift", testPackage),
            ("Data/sample.txt", sampleText),
            ("Data/graph.txt", sampleGraph),
        ]
    }

    /// The `.package(...)` line and the package identity that `.product(name: "Spindle", package:)` names.
    var dependencyDeclaration: (declaration: String, identity: String) {
        switch dependency {
        case .path(let path):
            return (".package(name: \"Spindle\", path: \(Self.swiftLiteral(path)))", "Spindle")
        case .url(let url):
            var last = url.split(separator: "/").last.map(String.init) ?? "spindle"
            if last.hasSuffix(".git") { last.removeLast(4) }
            return (".package(url: \(Self.swiftLiteral(url)), branch: \"main\")", last)
        }
    }

    var packageManifest: String {
        let (declaration, identity) = dependencyDeclaration
        return #"""
            // swift-tools-version: 6.0
            // \#(name): Spindle jobs of your own. `swift run \#(name) run word-count` runs one, `swift test` checks them.
            import PackageDescription

            let package = Package(
                name: "\#(name)",
                platforms: [.macOS(.v15)],
                dependencies: [
                    \#(declaration)
                ],
                targets: [
                    // The executable: Spindle's command line (run, worker, jobs, report, ...) for this package's jobs.
                    .executableTarget(name: "\#(name)", dependencies: [.product(name: "Spindle", package: "\#(identity)")]),
                    // Runs each job through the executable and compares its output with a sequential reference.
                    .testTarget(name: "\#(name)Tests", dependencies: ["\#(name)"]),
                ],
                swiftLanguageModes: [.v6]
            )

            """#
    }

    var main: String {
        #"""
        import Spindle

        // The whole Spindle command line for this package's jobs: `\#(name) run JOB`, `\#(name) jobs`, `\#(name) worker`, ...
        Spindle.main(jobs: [wordCount.job, hops.job])

        """#
    }

    var sampleData: String {
        #"""
        /// The package's sample inputs in `Data/`, found from this file's path at build time, so that
        /// `swift run \#(name) run JOB` works without `--input` from any directory.
        enum SampleData {
            /// The path of `Data/NAME` in this package.
            static func path(_ name: String) -> String {
                var root = #filePath  // PACKAGE/Sources/\#(name)/SampleData.swift
                for _ in 0..<3 { root = String(root[..<(root.lastIndex(of: "/") ?? root.startIndex)]) }
                return root + "/Data/" + name
            }
        }

        """#
    }

    /// `text` as a Swift string literal.
    static func swiftLiteral(_ text: String) -> String {
        var out = "\""
        for character in text.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(character)
            }
        }
        return out + "\""
    }
}
