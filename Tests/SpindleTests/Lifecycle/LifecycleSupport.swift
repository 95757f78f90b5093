import Foundation
import SpindleCore
import SpindlePosix

/// Spindle's scratch and log directories in a test's private `TMPDIR`, and the processes that own them.
enum ScratchRoot {
    /// The names in `root` that carry Spindle's scratch prefixes.
    static func spindleEntries(_ root: String) -> [String] {
        ((try? FileSystem.listDirectory(root)) ?? []).filter { $0.hasPrefix("spindle-worker") }
    }

    /// The pids recorded in the ownership records of the workers' scratch directories (`spindle-worker-*`).
    static func workerPIDs(_ root: String) -> [Int32] {
        spindleEntries(root).filter { $0.hasPrefix("spindle-worker-") }.compactMap { name in
            guard let bytes = try? FileSystem.readFile("\(root)/\(name)/.spindle-owner") else { return nil }
            return ProcessStamp(text: String(decoding: bytes, as: UTF8.self))?.pid
        }
    }

    /// Makes `root/name` holding `record` as its ownership record (nil: no record).
    static func plant(_ root: String, _ name: String, record: String?) throws {
        try FileSystem.createDirectory("\(root)/\(name)", intermediate: false)
        try FileSystem.writeFileAtomically("\(root)/\(name)/spill-0", Array(repeating: 7, count: 4096))
        if let record { try FileSystem.writeFileAtomically("\(root)/\(name)/.spindle-owner", Array(record.utf8)) }
    }
}

/// A slow `checksum` job (every task waits `delay`) with its own `TMPDIR`, for stopping and killing mid-job.
struct SlowJob {
    let dir: TemporaryDirectory
    let process: SpindleProcess
    var tmp: String { dir.file("tmp") }
    var output: String { dir.file("out") }

    static func start(delay: String, workers: Int = 2, extra: [String] = []) throws -> SlowJob {
        let dir = try TemporaryDirectory()
        try ChecksumOracle.writeInput(dir.file("in.txt"), lines: 5_000, seed: 5)
        try FileSystem.createDirectory(dir.file("tmp"), intermediate: false)
        let process = try SpindleProcess.start(
            ["run", "checksum", "--input", dir.file("in.txt"), "--output", dir.file("out"), "--workers", "\(workers)", "--split-size", "32KiB",
             "--param", "delay=\(delay)"] + extra,
            environment: ["TMPDIR": dir.file("tmp")], in: dir.path, name: "coordinator")
        return SlowJob(dir: dir, process: process)
    }

    /// Waits until `count` workers made their scratch directories and the job runs; returns their pids.
    func waitUntilRunning(workers count: Int) -> [Int32] {
        _ = eventually(within: .seconds(60)) {
            ScratchRoot.workerPIDs(tmp).count == count
                && ((try? String(contentsOfFile: process.stderrPath, encoding: .utf8)) ?? "").contains("running checksum")
        }
        return ScratchRoot.workerPIDs(tmp)
    }
}
