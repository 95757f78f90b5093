import Foundation
import SpindlePosix
import Testing

/// Runs `Tests/Cluster/netbed.py`: a coordinator and three workers, each in its own network namespace joined
/// by a bridge (10.251.0.0/24, no route out), a fault injected when an event appears in the job's event log,
/// and the bed's own checks (detection and recovery bounds, `_SUCCESS`, processes, scratch directories).
struct NetBed {
    /// The script, found from this file's path (Tests/SpindleTests/Cluster → Tests/Cluster).
    static let script: String = {
        let here = URL(fileURLWithPath: #filePath)
        return here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Cluster/netbed.py").path
    }()

    /// Why this machine cannot build the bed (not root, no namespaces, no `ip` / `nft`), or nil.
    static let unavailableReason: String? = {
        guard let dir = try? TemporaryDirectory() else { return "no temporary directory" }
        guard
            let process = try? ChildProcess.spawn(
                executable: "python3", arguments: [script, "--check"], stdoutPath: dir.file("check.out"), stderrPath: dir.file("check.err")),
            let result = try? SpindleProcess(process: process, stdoutPath: dir.file("check.out"), stderrPath: dir.file("check.err")).finish(
                timeout: .seconds(30))
        else { return "python3 cannot be started" }
        if result.exitCode == 0 { return nil }
        return result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
    }()
    static var available: Bool { unavailableReason == nil }

    /// What one run did, from the script's JSON line.
    struct Outcome {
        var exitCode: Int
        var problems: [String]
        var lost: Int
        var output: String
        var events: EventLogReader
        /// Per loss: host, detection seconds after the fault, seconds until each stage in flight completed.
        var losses: [[String: Any]]
        var raw: String

        /// The worker id of the host named `host` (from `worker_joined` and the advertised exchange address).
        func worker(on host: String) -> Int? {
            let address = NetBed.addresses[host] ?? ""
            return events.events(named: "worker_joined").first { ($0["exchange"] as? String)?.hasPrefix(address + ":") == true }?["worker"] as? Int
        }
    }

    /// The jobs' heartbeat timeout: 3 s rather than the default 2 s, so that a loaded CI machine (other suites
    /// run alongside) does not starve a worker into a false loss. The bounds are relative to it.
    static let heartbeatTimeout = "3s"

    static let addresses = ["coord": "10.251.0.10", "w1": "10.251.0.11", "w2": "10.251.0.12", "w3": "10.251.0.13"]

    /// Runs `job` with `options` in a fresh bed under `dir`; with `privateFiles`, no worker sees those directories
    /// (the inputs) nor the output (netbed.py's `--private-files`).
    static func run(
        in dir: TemporaryDirectory, fault: String? = nil, trigger: String? = nil, healAfter: Double? = nil, scratchLimit: String? = nil,
        expectLost: Int? = nil, privateFiles: [String]? = nil, binary: String = TestJobsBinary.path, job: [String]
    ) throws -> Outcome {
        var arguments = [script, "--binary", binary, "--workdir", dir.file("bed"), "--timeout", "150", "--heartbeat-timeout", heartbeatTimeout]
        if let fault { arguments += ["--fault", fault] }
        if let trigger { arguments += ["--trigger", trigger] }
        if let healAfter { arguments += ["--heal-after", "\(healAfter)"] }
        if let scratchLimit { arguments += ["--scratch-limit", scratchLimit] }
        if let expectLost { arguments += ["--expect-lost", "\(expectLost)"] }
        if let privateFiles { arguments += ["--private-files"] + privateFiles.flatMap { ["--private-path", $0] } }
        arguments += ["--"] + job
        let process = try ChildProcess.spawn(executable: "python3", arguments: arguments, stdoutPath: dir.file("bed.out"), stderrPath: dir.file("bed.err"))
        let result = try SpindleProcess(process: process, stdoutPath: dir.file("bed.out"), stderrPath: dir.file("bed.err")).finish(timeout: .seconds(240))
        guard result.exitCode == 0, let line = result.stdout.split(separator: "\n").last,
            let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        else {
            throw NetBedError(description: "netbed.py failed (status \(result.status)): \(result.stderr.suffix(2000))")
        }
        let measures = json["measures"] as? [String: Any] ?? [:]
        return Outcome(
            exitCode: json["exit_code"] as? Int ?? -1, problems: json["problems"] as? [String] ?? ["no problems list"], lost: json["lost"] as? Int ?? -1,
            output: json["output"] as? String ?? "", events: EventLogReader(path: json["events"] as? String ?? ""),
            losses: measures["losses"] as? [[String: Any]] ?? [], raw: String(line))
    }

    /// Word count input: `files` files of `lines` lines over a vocabulary of 20,000 words (large map outputs).
    static func writeText(into dir: String, files: Int = 4, lines: Int = 12_000, seed: UInt64) throws -> [String] {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var rng = SplitMix(seed: seed)
        var paths: [String] = []
        for f in 0..<files {
            var text = ""
            text.reserveCapacity(lines * 80)
            for _ in 0..<lines {
                let words = 4 + Int(rng.next() % 12)
                for w in 0..<words {
                    if w > 0 { text += " " }
                    text += "w" + String(rng.next() % 20_000, radix: 36)
                }
                text += "\n"
            }
            let path = "\(dir)/doc-\(f).txt"
            try text.write(toFile: path, atomically: false, encoding: .utf8)
            paths.append(path)
        }
        return paths
    }
}

struct NetBedError: Error, CustomStringConvertible {
    var description: String
}

extension NetBed {
    /// Runs `slowpagerank` (8 iterations, 6 partitions, a checkpoint every 2 supersteps, 150 ms per superstep)
    /// over an R-MAT scale 8 graph made from `seed` in the test bed, under `fault`, and expects exit 0, no
    /// problem from the bed's checks, and ranks equal to the sequential reference's. With `privateFiles` the
    /// graph's directory is visible to the coordinator's host only.
    static func runPageRank(
        in dir: TemporaryDirectory, seed: UInt64, title: String, fault: String, trigger: String, healAfter: Double? = nil,
        expectLost: Int, privateFiles: Bool = false
    ) throws -> Outcome {
        let text = GraphFixtures.snapText(GraphFixtures.rmat(scale: 8, edgeFactor: 8, seed: seed), title: title)
        let path = try GraphFixtures.write(text, to: dir.file("g/g.txt"))
        let outcome = try run(
            in: dir, fault: fault, trigger: trigger, healAfter: healAfter, expectLost: expectLost,
            privateFiles: privateFiles ? [dir.file("g")] : nil,
            job: [
                "slowpagerank", "--input", dir.file("g"), "--partitions", "6", "--checkpoint-every", "2", "--param", "delay=150ms",
                "--param", "iterations=8",
            ])
        #expect(outcome.exitCode == 0, "\(outcome.raw)")
        #expect(outcome.problems == [], "\(outcome.raw)")
        let actual = try PregelOutput.numbers(JobOutput(directory: outcome.output).lines())
        #expect(PregelOutput.rankMismatches(expected: PregelOracle.pagerank(try OracleGraph(contentsOf: path), iterations: 8), actual: actual) == [])
        return outcome
    }
}
