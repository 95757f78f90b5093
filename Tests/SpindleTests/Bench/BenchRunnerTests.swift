import Foundation
@testable import Spindle
@testable import SpindleTools
import Testing

/// The pure helpers of the process-running shell.
@Suite struct BenchRunnerTests {
    @Test func pollingGetsSlowerWithTheRunButStaysBetweenOneAndTenMilliseconds() {
        #expect(BenchRunner.pollInterval(afterNanoseconds: 0) == .milliseconds(1))
        #expect(BenchRunner.pollInterval(afterNanoseconds: 2_000_000_000) == .milliseconds(4))
        #expect(BenchRunner.pollInterval(afterNanoseconds: 60_000_000_000) == .milliseconds(10))
    }

    @Test func tailKeepsTheLastNonEmptyLines() throws {
        let dir = try TemporaryDirectory()
        try Data("one\n\ntwo\n  \nthree\nfour\n".utf8).write(to: URL(fileURLWithPath: dir.file("err")))
        #expect(BenchRunner.tail(of: dir.file("err"), lines: 2) == ["three", "four"])
        #expect(BenchRunner.tail(of: dir.file("err"), lines: 10) == ["one", "two", "three", "four"])
        #expect(BenchRunner.tail(of: dir.file("missing"), lines: 3).isEmpty)
    }
}
