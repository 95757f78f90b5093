import Spindle
import SpindleCore
import SpindlePosix

/// `spindle init NAME [--spindle PATH|URL] [DIR]`: writes a new Swift package that depends on Spindle, with
/// a MapReduce job, a Pregel job, a test of each against a sequential reference, sample data and a README
/// (see ``PackageTemplate``), so that `swift run NAME run word-count` works at once.
enum InitCommand {
    static let spec = CommandSpec(
        name: "init", summary: "Write a new Swift package of your own jobs (MapReduce and Pregel), with tests and sample data",
        discussion: """
            Example: spindle init myjobs && cd myjobs && swift run myjobs run word-count. \
            The package depends on the Spindle checkout this spindle was built from (.package(path:)), or on --spindle: \
            a local checkout or a git URL (branch main). DIR must not exist or be empty. Exit codes: 0 written, 1 writing failed, 2 bad usage.
            """,
        options: [
            .value("spindle", placeholder: "PATH|URL", default: "this build's checkout", help: "where the package gets Spindle from")
        ],
        positionals: [
            PositionalSpec("NAME", help: "the package and executable name, a Swift identifier such as myjobs"),
            PositionalSpec("DIR", help: "the directory to create (default: ./NAME)", isOptional: true),
        ])

    /// The checkout this binary was built from: `#filePath` is CHECKOUT/Sources/SpindleTools/Init/InitCommand.swift.
    static let buildCheckout: String = {
        var path = #filePath
        for _ in 0..<4 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
        return path
    }()

    static func execute(_ arguments: ParsedArguments) throws -> Int32 {
        let name = arguments.positionals[0]
        try checkName(name)
        let directory = arguments.positionals.count > 1 ? arguments.positionals[1] : name
        let dependency = try resolveDependency(arguments.value("spindle"))
        try checkDirectory(directory)
        let existed = FileSystem.exists(directory)
        do {
            for file in PackageTemplate(name: name, dependency: dependency).files {
                let path = directory + "/" + file.path
                try FileSystem.createDirectory(String(path[..<path.lastIndex(of: "/")!]), intermediate: true)
                try FileSystem.writeFileAtomically(path, Array(file.text.utf8))
            }
        } catch {
            // Everything in `directory` is ours: it was new or empty.
            if existed {
                for entry in (try? FileSystem.listDirectory(directory)) ?? [] { try? FileSystem.removeTree(directory + "/" + entry) }
            } else {
                try? FileSystem.removeTree(directory)
            }
            throw SpindleError(.other, "writing the package into \(directory) failed (\(error)); nothing was left behind")
        }
        let source: String
        switch dependency {
        case .path(let path): source = "the Spindle checkout at \(path)"
        case .url(let url): source = "Spindle from \(url) (branch main)"
        }
        print(
            """
            Created package '\(name)' in \(directory), depending on \(source).
            Next: cd \(directory) && swift run \(name) run word-count && swift test
            """)
        return 0
    }

    /// Refuses a name that is not a Swift identifier, is a keyword, or is a module the package imports.
    static func checkName(_ name: String) throws(UsageError) {
        let bytes = Array(name.utf8)
        func isLetter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F }
        guard let first = bytes.first, isLetter(first), bytes.allSatisfy({ isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) }) else {
            let suggestion = String(name.map { $0.isLetter || $0.isNumber ? $0 : "_" }.drop(while: { $0.isNumber || $0 == "_" }))
            throw UsageError(
                "package name '\(name)' is not a Swift identifier: use ASCII letters, digits and underscores, not starting with a digit"
                    + (suggestion.isEmpty || !suggestion.unicodeScalars.allSatisfy(\.isASCII) ? "" : " (for example '\(suggestion)')"))
        }
        guard !reservedNames.contains(name) else {
            throw UsageError(
                "package name '\(name)' is a Swift keyword or the name of a module the package uses; choose another, such as '\(name)Jobs'")
        }
    }

    /// Swift keywords and the modules a generated package (and its tests) import.
    static let reservedNames: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout", "internal", "let",
        "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows", "static", "struct", "subscript", "typealias",
        "var", "break", "case", "catch", "continue", "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat",
        "return", "throw", "switch", "where", "while", "Any", "as", "await", "false", "is", "nil", "self", "Self", "super", "throws",
        "true", "try", "_", "package", "consume", "copy", "borrowing", "consuming", "some", "any",
        "Spindle", "SpindleCore", "SpindlePosix", "SpindleTools", "SpindleJobs", "Swift", "Foundation", "Testing", "XCTest",
        "Glibc", "Dispatch", "Synchronization", "PackageDescription", "main",
    ]

    /// The dependency: `--spindle` (a URL, or a path that must hold a Package.swift), else the build's checkout.
    static func resolveDependency(_ option: String?) throws(UsageError) -> PackageTemplate.Dependency {
        guard let option else {
            guard FileSystem.exists(buildCheckout + "/Package.swift"), FileSystem.isDirectory(buildCheckout + "/Sources/Spindle") else {
                throw UsageError(
                    "the Spindle checkout this spindle was built from (\(buildCheckout)) is not there any more; pass --spindle PATH (a checkout) or --spindle URL (a git repository)"
                )
            }
            return .path(buildCheckout)
        }
        if option.contains("://") || option.hasPrefix("git@") { return .url(option) }
        let path = FileSystem.absolutePath(option)
        guard FileSystem.exists(path + "/Package.swift") else {
            throw UsageError("--spindle \(option) holds no Package.swift; give the directory of a Spindle checkout, or a git URL")
        }
        return .path(path)
    }

    /// Refuses an existing `directory` that is not empty (or is not a directory); nothing is overwritten.
    static func checkDirectory(_ directory: String) throws {
        guard FileSystem.exists(directory) else { return }
        guard FileSystem.isDirectory(directory) else {
            throw UsageError("'\(directory)' exists and is not a directory; choose another DIR for the new package")
        }
        guard try FileSystem.listDirectory(directory).isEmpty else {
            throw UsageError("'\(directory)' exists and is not empty; choose a new or empty DIR for the package (nothing was written)")
        }
    }
}
