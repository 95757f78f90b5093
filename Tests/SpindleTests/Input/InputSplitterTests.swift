@testable import Spindle
import Testing

@Suite struct InputSplitterTests {
    @Test func theDefaultGivesEightSplitsPerWorkerWithNoSliverLeftOver() {
        for (bytes, workers) in [(232_938_830, 2), (536_870_912, 2), (536_870_912, 1), (100_000_007, 3)] {
            let size = InputSplitter.defaultSplitSize(totalBytes: bytes, workers: workers)
            let splits = InputSplitter.split([InputFile(path: "/data/in.txt", size: bytes)], splitSize: size)
            #expect(splits.count == 8 * workers, "\(bytes) bytes, \(workers) workers")
            #expect(splits.reduce(0) { $0 + $1.byteCount } == bytes)
            // Every split but the last is full; the last is not a sliver.
            #expect(splits.dropLast().allSatisfy { $0.byteCount == size })
            #expect(splits.last!.byteCount > size - 8 * workers)
        }
    }

    @Test func theDefaultStaysWithinOneAnd128MiB() {
        #expect(InputSplitter.defaultSplitSize(totalBytes: 1000, workers: 2) == 1 << 20)
        #expect(InputSplitter.defaultSplitSize(totalBytes: 0, workers: 0) == 1 << 20)
        #expect(InputSplitter.defaultSplitSize(totalBytes: 100 << 30, workers: 2) == 128 << 20)
    }

    @Test func anEmptyInputIsOneSplitOverNothing() {
        for files in [[], [InputFile(path: "/data/empty.txt", size: 0), InputFile(path: "/data/empty2.txt", size: 0)]] {
            let splits = InputSplitter.split(files, splitSize: 1 << 20)
            #expect(splits == [InputSplit(chunks: [])])
            #expect(splits[0].summary == "no input")
        }
    }
}
