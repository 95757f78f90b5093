import Foundation
import SpindleCore
import SpindlePosix
import Testing

/// Runs a command in a private mount namespace (`unshare --mount`) where a directory is a small tmpfs, so a
/// job can run out of space without touching the machine's mounts. Needs root (tests run as root in CI).
struct TmpfsSandbox {
    /// The exit status `run` gives when the tmpfs could not be mounted.
    static let mountRefused: Int32 = 77

    /// Whether this machine lets the tests mount a tmpfs in a private mount namespace.
    static let available: Bool = {
        guard let dir = try? TemporaryDirectory() else { return false }
        let probe = try? run(mount: dir.file("m"), size: "64k", command: ["true"], in: dir.path)
        return probe?.exitCode == 0
    }()

    /// Mounts a tmpfs of `size` on `mount` (created if missing), runs `command` with `environment`, then
    /// lists what is left on the tmpfs into `listing` (one path per line) before the namespace goes away.
    /// - Returns: the command's result; exit status ``mountRefused`` when mounting failed.
    static func run(
        mount: String, size: String, command: [String], environment: [String: String] = [:], in directory: String, name: String = "sandboxed",
        timeout: Duration = .seconds(180)
    ) throws -> ProcessResult {
        try FileSystem.createDirectory(mount, intermediate: true)
        let body = """
            mount -t tmpfs -o size="$1" tmpfs "$2" || exit \(mountRefused)
            mounted="$2"; listing="$3"; shift 3
            "$@"; rc=$?
            find "$mounted" > "$listing"
            exit $rc
            """
        let process = try ChildProcess.spawn(
            executable: "unshare", arguments: ["--mount", "--propagation", "private", "sh", "-c", body, "sh", size, mount, listingPath(directory)] + command,
            environment: environment, stdoutPath: "\(directory)/\(name).stdout", stderrPath: "\(directory)/\(name).stderr")
        return try SpindleProcess(process: process, stdoutPath: "\(directory)/\(name).stdout", stderrPath: "\(directory)/\(name).stderr").finish(timeout: timeout)
    }

    static func listingPath(_ directory: String) -> String { "\(directory)/tmpfs-listing" }

    /// What was left on the tmpfs when the command ended, relative to the mount point ("" is the mount point).
    static func leftOnTmpfs(mount: String, directory: String) throws -> [String] {
        try String(contentsOfFile: listingPath(directory), encoding: .utf8).split(separator: "\n").map { line in
            String(line.dropFirst(mount.count))
        }
    }
}

/// A job that runs out of space (output, scratch, or checkpoints on a small tmpfs) fails with one sentence
/// naming the path and "no space left", exit 1, without `_SUCCESS`, without hanging, and leaves no scratch.
@Suite(.serialized, .enabled(if: TmpfsSandbox.available, "needs root to mount a tmpfs in a private mount namespace (unshare --mount)"))
struct DiskFullTests {
    private func failureLine(_ result: ProcessResult) -> String {
        result.stderr.split(separator: "\n").first { $0.contains("failed:") }.map(String.init) ?? ""
    }

    @Test func outputOnAFullFileSystem() throws {
        let dir = try TemporaryDirectory()
        let mount = dir.file("m")
        try FileSystem.createDirectory(dir.file("tmp"), intermediate: false)
        #expect(try SpindleProcess.run(["generate", "text", "--size", "4MiB", dir.file("text.txt")], in: dir.path).exitCode == 0)
        let result = try TmpfsSandbox.run(
            mount: mount, size: "2m",
            command: [SpindleProcess.executable, "run", "sort", "--input", dir.file("text.txt"), "--output", mount + "/out", "--workers", "2"],
            environment: ["TMPDIR": dir.file("tmp")], in: dir.path)
        #expect(!result.timedOut)
        #expect(result.exitCode == 1, "status \(result.status), stderr: \(result.stderr)")
        let line = failureLine(result)
        #expect(line.contains(mount + "/out/"), "the failure does not name the path: \(result.stderr)")
        #expect(line.lowercased().contains("no space left"), "stderr: \(result.stderr)")
        let left = try TmpfsSandbox.leftOnTmpfs(mount: mount, directory: dir.path)
        #expect(!left.contains("/out/_SUCCESS") && !left.contains { $0.hasPrefix("/out/_temporary") }, "\(left)")
        // The part files that did fit were committed, and the failed job removed them: nothing looks like output.
        #expect(!left.contains { $0.hasPrefix("/out/part-") }, "\(left)")
        #expect(ScratchRoot.spindleEntries(dir.file("tmp")) == [], "scratch was left behind")
    }

    @Test func scratchOnAFullFileSystem() throws {
        let dir = try TemporaryDirectory()
        let mount = dir.file("m")
        #expect(try SpindleProcess.run(["generate", "text", "--size", "4MiB", dir.file("text.txt")], in: dir.path).exitCode == 0)
        let result = try TmpfsSandbox.run(
            mount: mount, size: "2m",
            command: [SpindleProcess.executable, "run", "sort", "--input", dir.file("text.txt"), "--output", dir.file("out"), "--workers", "2"],
            environment: ["TMPDIR": mount], in: dir.path)
        #expect(!result.timedOut)
        #expect(result.exitCode == 1, "status \(result.status), stderr: \(result.stderr)")
        let line = failureLine(result)
        #expect(line.contains(mount + "/spindle-worker-"), "the failure does not name the path: \(result.stderr)")
        #expect(line.lowercased().contains("no space left"), "stderr: \(result.stderr)")
        #expect(try TmpfsSandbox.leftOnTmpfs(mount: mount, directory: dir.path) == [""], "scratch was left behind")
        #expect(!FileSystem.exists(dir.file("out/_SUCCESS")))
        #expect(!FileSystem.exists(dir.file("out/_temporary")))
    }

    @Test func checkpointsOnAFullFileSystem() throws {
        let dir = try TemporaryDirectory()
        let mount = dir.file("m")
        try FileSystem.createDirectory(dir.file("tmp"), intermediate: false)
        #expect(
            try SpindleProcess.run(["generate", "graph", "--rmat", "--scale", "14", "--edge-factor", "8", dir.file("graph.txt")], in: dir.path).exitCode == 0)
        // Checkpoints live under OUTPUT/_temporary/checkpoints; the first one (superstep 0) does not fit in 256 KiB.
        let result = try TmpfsSandbox.run(
            mount: mount, size: "256k",
            command: [SpindleProcess.executable, "run", "pagerank", "--input", dir.file("graph.txt"), "--output", mount + "/out", "--workers", "2",
                      "--checkpoint-every", "1"],
            environment: ["TMPDIR": dir.file("tmp")], in: dir.path)
        #expect(!result.timedOut)
        #expect(result.exitCode == 1, "status \(result.status), stderr: \(result.stderr)")
        let line = failureLine(result)
        // Whatever fills the disk first (a checkpoint, the journal or the event log), the sentence names its path on it.
        #expect(line.contains(mount + "/out/"), "the failure does not name the path: \(result.stderr)")
        #expect(line.lowercased().contains("no space left"), "stderr: \(result.stderr)")
        let left = try TmpfsSandbox.leftOnTmpfs(mount: mount, directory: dir.path)
        #expect(!left.contains("/out/_SUCCESS") && !left.contains { $0.hasPrefix("/out/_temporary") }, "\(left)")
        #expect(ScratchRoot.spindleEntries(dir.file("tmp")) == [], "scratch was left behind")
    }
}
