import Foundation
import Testing

/// `spindle init NAME [--spindle PATH|URL] [DIR]`, run as a user runs it (the package it writes is type-checked
/// in `UserSourcesTypeCheckTests`, and built, tested and run by `.ci/run`).
@Suite struct InitCommandTests {
    private func contents(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test func writesAPackageThatDependsOnThisCheckout() throws {
        let dir = try TemporaryDirectory()
        let result = try SpindleProcess.run(["init", "demo", dir.file("demo")], in: dir.path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Created package 'demo' in \(dir.file("demo"))"))
        for file in [
            "Package.swift", "README.md", ".gitignore", "Sources/demo/main.swift", "Sources/demo/WordCount.swift", "Sources/demo/Hops.swift",
            "Sources/demo/SampleData.swift", "Tests/demoTests/JobTests.swift", "Tests/demoTests/TestPackage.swift", "Data/sample.txt",
            "Data/graph.txt",
        ] {
            #expect(FileManager.default.fileExists(atPath: dir.file("demo/" + file)), "\(file) is missing")
        }
        let manifest = try contents(dir.file("demo/Package.swift"))
        let checkout = FileManager.default.currentDirectoryPath
        #expect(manifest.contains(".package(name: \"Spindle\", path: \"\(checkout)\")"), "\(manifest)")
        #expect(manifest.contains(".product(name: \"Spindle\", package: \"Spindle\")"))
        #expect(try contents(dir.file("demo/Sources/demo/main.swift")).contains("Spindle.main(jobs: [wordCount.job, hops.job])"))
    }

    @Test func spindleOptionTakesAGitURLOrACheckout() throws {
        let dir = try TemporaryDirectory()
        let url = "https://example.com/team/spindle.git"
        let byURL = try SpindleProcess.run(["init", "--spindle", url, "fromurl", dir.file("fromurl")], in: dir.path)
        #expect(byURL.exitCode == 0, "\(byURL.stderr)")
        let manifest = try contents(dir.file("fromurl/Package.swift"))
        #expect(manifest.contains(".package(url: \"\(url)\", branch: \"main\")"))
        #expect(manifest.contains(".product(name: \"Spindle\", package: \"spindle\")"))

        let checkout = FileManager.default.currentDirectoryPath
        let byPath = try SpindleProcess.run(["init", "frompath", "--spindle", checkout, dir.file("frompath")], in: dir.path)
        #expect(byPath.exitCode == 0, "\(byPath.stderr)")
        #expect(try contents(dir.file("frompath/Package.swift")).contains("path: \"\(checkout)\""))

        let missing = try SpindleProcess.run(["init", "nowhere", "--spindle", dir.file("no-such-checkout"), dir.file("nowhere")], in: dir.path)
        #expect(missing.exitCode == 2)
        #expect(missing.stderr.contains("holds no Package.swift; give the directory of a Spindle checkout, or a git URL"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("nowhere")))
    }

    @Test func refusesAnExistingDirectoryThatIsNotEmpty() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.file("taken"), withIntermediateDirectories: true)
        try "mine\n".write(toFile: dir.file("taken/notes.txt"), atomically: false, encoding: .utf8)
        let result = try SpindleProcess.run(["init", "demo", dir.file("taken")], in: dir.path)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("'\(dir.file("taken"))' exists and is not empty"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("taken")) == ["notes.txt"])
        #expect(try contents(dir.file("taken/notes.txt")) == "mine\n")

        try FileManager.default.createDirectory(atPath: dir.file("empty"), withIntermediateDirectories: true)
        let intoEmpty = try SpindleProcess.run(["init", "demo", dir.file("empty")], in: dir.path)
        #expect(intoEmpty.exitCode == 0, "an empty directory is fine: \(intoEmpty.stderr)")
    }

    @Test(arguments: [
        (
            "my-jobs",
            "package name 'my-jobs' is not a Swift identifier: use ASCII letters, digits and underscores, not starting with a digit (for example 'my_jobs')"
        ),
        ("1st", "package name '1st' is not a Swift identifier"),
        ("", "package name '' is not a Swift identifier"),
        ("Spindle", "package name 'Spindle' is a Swift keyword or the name of a module the package uses"),
        ("class", "package name 'class' is a Swift keyword"),
    ])
    func refusesANameThatIsNotAUsableIdentifier(name: String, message: String) throws {
        let dir = try TemporaryDirectory()
        let result = try SpindleProcess.run(["init", name, dir.file("package")], in: dir.path)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("package")))
    }
}
