import Foundation
import SpindlePosix
import Testing

/// The coordinator's peak memory in `_SUCCESS` is its own. Linux carries getrusage's ru_maxrss across
/// execve, and posix_spawn's child runs in its parent's memory until it execs: a coordinator started by a
/// large process (`swift run`, this test runner) used to report that process's peak as its own.
@Suite struct PeakMemoryTests {
    @Test func coordinatorPeakIsNotItsParents() throws {
        let dir = try TemporaryDirectory()
        try Data("a b\n".utf8).write(to: URL(fileURLWithPath: dir.file("in.txt")))
        // This process's peak: at least 512 MiB, every page touched.
        let ballast = UnsafeMutableRawBufferPointer.allocate(byteCount: 512 << 20, alignment: 4096)
        defer { ballast.deallocate() }
        for offset in stride(from: 0, to: ballast.count, by: 4096) { ballast[offset] = 1 }
        let result = try SpindleProcess.run(
            ["run", "wordcount", "--input", dir.file("in.txt"), "--output", dir.file("out"), "--workers", "1", "--ui", "off"], in: dir.path)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        let success = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.file("out/_SUCCESS")))) as? [String: Any]
        let peak = try #require((success?["peakResidentBytes"] as? [String: Any])?["coordinator"] as? Int)
        #expect(peak > 1 << 20)
        #expect(peak < 256 << 20, "the coordinator reported \(peak) bytes")
    }
}
