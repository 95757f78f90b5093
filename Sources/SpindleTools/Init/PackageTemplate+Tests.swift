extension PackageTemplate {
    /// The tests: each job against a sequential reference computed in the test.
    var jobTests: String {
        #"""
        import Foundation
        import Testing

        /// Each job runs through this package's executable with two worker processes, and its output must
        /// equal a sequential reference computed here from the same input.
        struct JobTests {
            @Test(arguments: [1, 4])
            func wordCountMatchesASequentialCount(minLength: Int) throws {
                let input = TestPackage.data("sample.txt")
                var counts: [String: Int] = [:]
                for word in try String(contentsOfFile: input, encoding: .utf8).split(whereSeparator: { !$0.isLetter })
                where word.count >= minLength {
                    counts[word.lowercased(), default: 0] += 1
                }
                let output = try TestPackage.run("word-count", input: input, parameters: ["min-length=\(minLength)"])
                #expect(!counts.isEmpty)
                #expect(output == counts.mapValues { String($0) })
            }

            @Test(arguments: [false, true])
            func hopsMatchABreadthFirstSearch(undirected: Bool) throws {
                let input = TestPackage.data("graph.txt")
                var neighbors: [Int64: [Int64]] = [:]
                for line in try String(contentsOfFile: input, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
                    let ids = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).prefix(2).compactMap { Int64($0) }
                    guard ids.count == 2 else { continue }
                    neighbors[ids[0], default: []].append(ids[1])
                    neighbors[ids[1], default: []].append(contentsOf: undirected ? [ids[0]] : [])
                }
                var hops: [Int64: Int] = [1: 0]
                var frontier: [Int64] = [1]
                while !frontier.isEmpty {
                    var next: [Int64] = []
                    for vertex in frontier {
                        for neighbor in neighbors[vertex] ?? [] where hops[neighbor] == nil {
                            hops[neighbor] = hops[vertex]! + 1
                            next.append(neighbor)
                        }
                    }
                    frontier = next
                }
                var expected: [String: String] = [:]
                for vertex in neighbors.keys { expected[String(vertex)] = hops[vertex].map { String($0) } ?? "unreachable" }
                let output = try TestPackage.run("hops", input: input, parameters: ["source=1", "undirected=\(undirected)"])
                #expect(expected.values.contains("unreachable"))
                #expect(output == expected)
            }
        }

        """#
    }

    /// The tests' helper: where the package's files are and how to run its executable.
    var testPackage: String {
        #"""
        import Foundation

        /// This package's files and executable, as the tests use them.
        enum TestPackage {
            /// The package's root directory (from this file's path at build time).
            static let root: String = {
                var root = #filePath  // PACKAGE/Tests/\#(name)Tests/TestPackage.swift
                for _ in 0..<3 { root = String(root[..<(root.lastIndex(of: "/") ?? root.startIndex)]) }
                return root
            }()

            /// The path of `Data/NAME`.
            static func data(_ name: String) -> String { root + "/Data/" + name }

            /// The `\#(name)` executable, which `swift test` builds next to the test binary.
            static var executable: URL {
                var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
                while directory.path.contains(".xctest") { directory.deleteLastPathComponent() }
                return directory.appendingPathComponent("\#(name)")
            }

            /// Runs `\#(name) run JOB --input INPUT` with 2 local worker processes into a fresh directory (removed
            /// afterwards) and returns the output's `key<TAB>value` lines as a dictionary.
            static func run(_ job: String, input: String, parameters: [String]) throws -> [String: String] {
                let files = FileManager.default
                let scratch = files.temporaryDirectory.appendingPathComponent("\#(name)-test-\(UUID().uuidString)").path
                try files.createDirectory(atPath: scratch, withIntermediateDirectories: true)
                defer { try? files.removeItem(atPath: scratch) }
                let output = scratch + "/out"
                let errors = scratch + "/stderr"
                _ = files.createFile(atPath: errors, contents: nil)
                let process = Process()
                process.executableURL = executable
                process.arguments =
                    ["run", job, "--input", input, "--output", output, "--workers", "2", "--ui", "off", "--quiet"]
                    + parameters.flatMap { ["--param", $0] }
                process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
                try process.run()
                let deadline = Date().addingTimeInterval(120)
                while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
                if process.isRunning { process.terminate() }
                process.waitUntilExit()
                let stderr = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
                guard process.terminationReason == .exit, process.terminationStatus == 0, files.fileExists(atPath: output + "/_SUCCESS") else {
                    throw RunFailure(description: "\#(name) run \(job) failed (status \(process.terminationStatus)): \(stderr)")
                }
                var lines: [String: String] = [:]
                for name in try files.contentsOfDirectory(atPath: output) where name.hasPrefix("part-") {
                    for line in try String(contentsOfFile: output + "/" + name, encoding: .utf8).split(separator: "\n") {
                        let fields = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
                        lines[String(fields[0])] = fields.count > 1 ? String(fields[1]) : ""
                    }
                }
                return lines
            }
        }

        /// A run of the executable that did not succeed; says how it ended and what it printed.
        struct RunFailure: Error, CustomStringConvertible {
            let description: String
        }

        """#
    }
}
