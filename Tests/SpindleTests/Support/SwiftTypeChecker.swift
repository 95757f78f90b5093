import Foundation
import SpindlePosix

/// Type-checks Swift sources that a user would write (a user's package, the `spindle init` template, the
/// README's examples) against the Spindle module of this very build, with the toolchain's `swiftc`. Much
/// faster than building a package; `.ci/run` still builds the packages in full.
enum SwiftTypeChecker {
    /// The directory of the built modules (`Spindle.swiftmodule` ...), next to the test executable.
    static var modulesDirectory: String {
        let executable = SpindleProcess.executable
        return (executable as NSString).deletingLastPathComponent + "/Modules"
    }

    /// Evaluates the manifest of the package in `directory` (`swift package dump-package`, which neither
    /// resolves nor builds dependencies). Returns nil when it loads without errors or warnings, else the messages.
    static func manifestProblems(packageDirectory directory: String, scratch: TemporaryDirectory) throws -> String? {
        try run(
            "swift", ["package", "dump-package", "--package-path", directory, "--scratch-path", scratch.file("manifest-build")], scratch: scratch)
    }

    /// Type-checks `files` as one module named `moduleName` (a `main.swift` among them is its top-level code).
    /// Returns nil when they type-check without errors or warnings, else the compiler's messages.
    static func problems(in files: [String], moduleName: String, scratch: TemporaryDirectory) throws -> String? {
        try run("swiftc", ["-typecheck", "-swift-version", "6", "-module-name", moduleName, "-I", modulesDirectory] + cModuleMaps + files, scratch: scratch)
    }

    /// The module maps SwiftPM generated for the package's C targets (SpindleCore imports `CSpindleCRC32`), which a
    /// client of the Swift modules must see too; SwiftPM passes them to a package's own builds.
    private static var cModuleMaps: [String] {
        let buildDirectory = (modulesDirectory as NSString).deletingLastPathComponent
        return ["CSpindleCRC32"].map { "\(buildDirectory)/\($0).build/module.modulemap" }
            .filter { FileManager.default.fileExists(atPath: $0) }
            .flatMap { ["-Xcc", "-fmodule-map-file=\($0)"] }
    }

    /// Runs a toolchain command found in `PATH`; nil when it exits 0 and prints no warning, else what it printed.
    private static func run(_ command: String, _ arguments: [String], scratch: TemporaryDirectory) throws -> String? {
        let output = scratch.file("\(command)-\(UInt32.random(in: 0...UInt32.max)).out")
        let process = try ChildProcess.spawn(executable: command, arguments: arguments, stdoutPath: output, stderrPath: output)
        var status = try process.wait(timeout: .seconds(300))
        if status == nil {
            try process.signal(Signal.kill)
            status = try process.wait(timeout: .seconds(5))
        }
        let messages = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        if case .exited(0) = status, !messages.contains("warning:") { return nil }
        return "\(command) \(status.map { "\($0)" } ?? "timed out"): \(messages)"
    }

    /// The Swift code blocks of a markdown file that are whole programs (`import Spindle` ... `Spindle.main(`).
    static func programs(inMarkdown path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var programs: [String] = []
        var block: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if block == nil, line.trimmingCharacters(in: .whitespaces) == "```swift" {
                block = []
            } else if let lines = block, line.trimmingCharacters(in: .whitespaces) == "```" {
                let code = lines.joined(separator: "\n")
                if code.contains("import Spindle") && code.contains("Spindle.main(") { programs.append(code + "\n") }
                block = nil
            } else {
                block?.append(line)
            }
        }
        return programs
    }
}
