import Foundation
import Testing

@testable import Spindle

/// Parse throughput on 10M generated `src\tdst` lines. Meaningful only in release mode, so it runs only when
/// SPINDLE_PARSER_BENCH is set, e.g.
/// `SPINDLE_PARSER_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter EdgeListParserThroughputTests`.
@Suite struct EdgeListParserThroughputTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SPINDLE_PARSER_BENCH"] != nil))
    func parsesTenMillionLinesAtLeastAt150MegabytesPerSecond() {
        let lineCount = 10_000_000
        var random = SeededRandom(seed: 1)
        var text: [UInt8] = []
        text.reserveCapacity(lineCount * 18)
        for _ in 0..<lineCount {
            text.append(contentsOf: String(UInt32.random(in: 0...5_000_000, using: &random)).utf8)
            text.append(0x09)
            text.append(contentsOf: String(UInt32.random(in: 0...5_000_000, using: &random)).utf8)
            text.append(0x0A)
        }
        var edges = 0
        var checksum: Int64 = 0
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            text.withUnsafeBytes { all in
                var start = 0
                while let newline = all[start...].firstIndex(of: 0x0A) {
                    if case .edge(let source, let target, _)? = EdgeListParser.parse(UnsafeRawBufferPointer(rebasing: all[start..<newline])) {
                        edges += 1
                        checksum &+= source ^ target
                    }
                    start = newline + 1
                }
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let megabytesPerSecond = Double(text.count) / seconds / 1e6
        print("EdgeListParser: \(lineCount) lines, \(text.count) bytes in \(seconds) s = \(megabytesPerSecond) MB/s (checksum \(checksum))")
        #expect(edges == lineCount)
        #expect(megabytesPerSecond >= 150)
    }
}
