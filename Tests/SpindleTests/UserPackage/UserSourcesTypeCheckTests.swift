import Foundation
import Testing
@testable import SpindleTools

/// The code users copy or get compiles against the current sources: the README's example programs, the
/// user-package fixture that `.ci/run` builds, and the package `spindle init` writes (type-checked with the
/// toolchain's `swiftc` against this build's Spindle module, manifests loaded by `swift package dump-package`;
/// `.ci/run` builds and runs the packages in full).
@Suite struct UserSourcesTypeCheckTests {
    private let root = FileManager.default.currentDirectoryPath

    @Test func readmeExamplesCompile() throws {
        let scratch = try TemporaryDirectory()
        let programs = try SwiftTypeChecker.programs(inMarkdown: root + "/README.md")
        #expect(programs.count >= 3, "the README shows a MapReduce, a Pregel and a BSP job")
        for (index, program) in programs.enumerated() {
            try FileManager.default.createDirectory(atPath: scratch.file("example\(index)"), withIntermediateDirectories: true)
            let file = scratch.file("example\(index)/main.swift")
            try program.write(toFile: file, atomically: false, encoding: .utf8)
            let problems = try SwiftTypeChecker.problems(in: [file], moduleName: "example\(index)", scratch: scratch)
            #expect(problems == nil, "README example \(index + 1):\n\(program)\n\(problems ?? "")")
        }
    }

    @Test func userPackageFixtureCompiles() throws {
        let scratch = try TemporaryDirectory()
        let sources = root + "/Tests/Fixtures/UserPackage/Sources/letters"
        let files = try FileManager.default.contentsOfDirectory(atPath: sources).filter { $0.hasSuffix(".swift") }.map { sources + "/" + $0 }
        #expect(!files.isEmpty)
        let problems = try SwiftTypeChecker.problems(in: files, moduleName: "letters", scratch: scratch)
        #expect(problems == nil, "\(problems ?? "")")
        let manifest = try SwiftTypeChecker.manifestProblems(packageDirectory: root + "/Tests/Fixtures/UserPackage", scratch: scratch)
        #expect(manifest == nil, "\(manifest ?? "")")
    }

    @Test func initTemplateCompiles() throws {
        let scratch = try TemporaryDirectory()
        let template = PackageTemplate(name: "demo", dependency: .path(root))
        for file in template.files {
            let path = scratch.file("demo/" + file.path)
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try file.text.write(toFile: path, atomically: false, encoding: .utf8)
        }
        let sources = template.files.map(\.path).filter { $0.hasSuffix(".swift") && $0 != "Package.swift" }
        let executable = sources.filter { $0.hasPrefix("Sources/") }.map { scratch.file("demo/" + $0) }
        let tests = sources.filter { $0.hasPrefix("Tests/") }.map { scratch.file("demo/" + $0) }
        #expect(executable.count == 4 && tests.count == 2)
        let executableProblems = try SwiftTypeChecker.problems(in: executable, moduleName: "demo", scratch: scratch)
        #expect(executableProblems == nil, "\(executableProblems ?? "")")
        let testProblems = try SwiftTypeChecker.problems(in: tests, moduleName: "demoTests", scratch: scratch)
        #expect(testProblems == nil, "\(testProblems ?? "")")
        let manifest = try SwiftTypeChecker.manifestProblems(packageDirectory: scratch.file("demo"), scratch: scratch)
        #expect(manifest == nil, "\(manifest ?? "")")
    }
}
