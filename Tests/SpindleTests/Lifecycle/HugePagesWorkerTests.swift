import Foundation
import SpindleCore
import SpindlePosix
import Testing

/// Workers ask glibc's malloc for transparent huge pages (see `HugePages`): local workers through the environment
/// the coordinator gives them, workers started by hand by starting again with the tunable, none of them when
/// `SPINDLE_HUGE_PAGES=0` says not to, and none over a user's own setting of the tunable.
@Suite(.serialized) struct HugePagesWorkerTests {
    /// The environment block a running process was started (or last re-executed) with, one entry per line. glibc
    /// cuts `GLIBC_TUNABLES` at its colons in place while it reads it, so a tunable may stand on a line of its own.
    private func environment(of pid: Int32) -> String {
        guard let bytes = try? FileSystem.readFile("/proc/\(pid)/environ") else { return "" }
        return String(decoding: bytes.map { $0 == 0 ? 10 : $0 }, as: UTF8.self)
    }

    private func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

    private var kernelAsksForRequests: Bool {
        guard let bytes = try? FileSystem.readFile("/sys/kernel/mm/transparent_hugepage/enabled") else { return false }
        return HugePages.onlyWhenAsked(enabled: String(decoding: bytes, as: UTF8.self))
    }

    /// Starts `spindle worker` at a port where nothing listens (it retries for 5 s) and returns the environment it
    /// runs with once it has started; then stops it.
    private func handStartedWorkerEnvironment(_ extra: [String: String]) throws -> [String] {
        let dir = try TemporaryDirectory()
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let port = listener.port
        listener.close()
        let worker = try SpindleProcess.start(
            ["worker", "--coordinator", "127.0.0.1:\(port)", "--connect-timeout", "5s"],
            environment: ["SPINDLE_SECRET": "any secret of 16+ bytes"].merging(extra) { $1 }, in: dir.path)
        defer { _ = try? worker.finish(timeout: .seconds(15)) }
        var seen: [String] = []
        // The re-executed process shows its new environment; the first one shows none of Spindle's marker.
        _ = eventually(within: .seconds(4)) {
            seen = lines(environment(of: worker.process.pid))
            return seen.contains("SPINDLE_HUGE_PAGES_REEXECUTED=1")
        }
        return seen
    }

    @Test func aWorkerStartedByHandStartsAgainWithTheTunable() throws {
        let seen = try handStartedWorkerEnvironment(["GLIBC_TUNABLES": "glibc.malloc.arena_max=4"])
        #expect(seen.contains("GLIBC_TUNABLES=glibc.malloc.arena_max=4"), "\(seen)")
        #expect(seen.contains("SPINDLE_HUGE_PAGES_REEXECUTED=1") == kernelAsksForRequests, "\(seen)")
        #expect(seen.contains("glibc.malloc.hugetlb=1") == kernelAsksForRequests, "\(seen)")
    }

    @Test func aWorkerToldNotToOrAlreadyTunedIsNotStartedAgain() throws {
        let off = try handStartedWorkerEnvironment(["SPINDLE_HUGE_PAGES": "0", "GLIBC_TUNABLES": ""])
        #expect(!off.contains("SPINDLE_HUGE_PAGES_REEXECUTED=1"), "\(off)")
        #expect(!off.contains { $0.contains("glibc.malloc.hugetlb") }, "\(off)")
        let tuned = try handStartedWorkerEnvironment(["GLIBC_TUNABLES": "glibc.malloc.hugetlb=0"])
        #expect(!tuned.contains("SPINDLE_HUGE_PAGES_REEXECUTED=1"), "\(tuned)")
        #expect(tuned.contains("GLIBC_TUNABLES=glibc.malloc.hugetlb=0"), "\(tuned)")
    }

    @Test func localWorkersGetTheTunableFromTheCoordinator() throws {
        let job = try SlowJob.start(delay: "300ms")
        let pids = job.waitUntilRunning(workers: 2)
        #expect(pids.count == 2)
        for pid in pids {
            let seen = lines(environment(of: pid))
            #expect(seen.contains { $0.hasSuffix("glibc.malloc.hugetlb=1") }, "\(seen)")
            #expect(!seen.contains("SPINDLE_HUGE_PAGES_REEXECUTED=1"), "\(seen)")
        }
        let result = try job.process.finish()
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
    }
}
