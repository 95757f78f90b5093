import Spindle
import SpindleCore
import SpindlePosix

/// The demo job `checksum`: each task reads one input split and reports the byte range of the lines it
/// owns, their number, and the CRC32C of those bytes; the coordinator writes one line per split.
/// It exercises splitting, scheduling, retries and commit without the MapReduce machinery.
struct ChecksumEngine: JobEngine {
    static let job = Job(
        name: "checksum",
        summary: "Demo: CRC32C and line count of every input split, computed by the workers",
        parameters: [
            JobParameter("delay", .duration, default: "0s", help: "time each task waits before finishing (to test failures)"),
            JobParameter("fail-split", .int(-1...Int.max), default: "-1", help: "split index whose tasks always fail (-1: none)"),
        ],
        defaultInput: nil,
        engine: ChecksumEngine())

    func makeDriver(_ setup: DriverSetup) throws -> any JobDriver { ChecksumDriver(setup) }

    func runTask(_ assignment: TaskAssignment, context: TaskContext) throws -> TaskOutcome {
        let split = try WireReader.decode(InputSplit.self, from: assignment.payload)
        if assignment.task.index == context.parameters.int("fail-split") {
            throw TaskFailure("split \(assignment.task.index) is configured to fail (--param fail-split)")
        }
        var results: [ChunkChecksum] = []
        var statistics = AttemptStatistics()
        for chunk in split.chunks {
            let file = try InputFileReader(chunk, context: context)
            var first: Int?
            var end = 0
            var lines = 0
            var crc = CRC32C()
            // maxRecord 0: lines longer than the buffer come through `tooLong`; their bytes are read again.
            try LineBlockReader(file: file, chunk: chunk, maxRecord: 0).forEachBlock(
                tooLong: { offset, length in
                    first = first ?? offset
                    lines += 1
                    let stop = min(offset + length + 1, file.size)
                    var position = offset
                    while position < stop {
                        let piece = try file.read(position..<min(stop, position + (1 << 20)))
                        piece.withUnsafeBytes { crc.update($0) }
                        position += piece.count
                    }
                    end = stop
                }
            ) { block, offset, limit in
                first = first ?? offset
                let owned = LineScanner(bytes: block).ownedEnd(start: 0, end: limit)
                LineScanner(bytes: block).forEachLine(start: 0, end: limit) { _, _ in
                    lines += 1
                    return true
                }
                crc.update(UnsafeRawBufferPointer(rebasing: block[0..<owned]))
                end = offset + owned
            }
            let start = first ?? end
            results.append(ChunkChecksum(path: chunk.path, start: start, end: max(start, end), lines: lines, crc: lines == 0 ? 0 : crc.value))
            statistics.bytesIn += max(0, end - start)
            statistics.recordsIn += lines
        }
        let delay = context.parameters.duration("delay")
        let deadline = MonotonicClock.now() + delay
        while MonotonicClock.now() < deadline {
            try context.checkCancelled()
            context.setProgress(1 - deadline.duration(since: MonotonicClock.now()).seconds / max(delay.seconds, 1e-9))
            MonotonicClock.sleep(.milliseconds(20))
        }
        statistics.recordsOut = results.count
        return TaskOutcome(payload: results.wireEncoded(), statistics: statistics)
    }
}

struct ChunkChecksum: WireCodable, Sendable {
    var path: String
    var start: Int
    var end: Int
    var lines: Int
    var crc: UInt32

    init(path: String, start: Int, end: Int, lines: Int, crc: UInt32) {
        self.path = path
        self.start = start
        self.end = end
        self.lines = lines
        self.crc = crc
    }
    func encode(to w: inout WireWriter) { w.write(path); w.write(start); w.write(end); w.write(lines); w.write(crc) }
    init(from r: inout WireReader) throws {
        path = try r.read(String.self); start = try r.read(Int.self); end = try r.read(Int.self)
        lines = try r.read(Int.self); crc = try r.read(UInt32.self)
    }
}

final class ChecksumDriver: JobDriver {
    private let setup: DriverSetup
    private let splits: [InputSplit]
    private var results: [[ChunkChecksum]?]

    init(_ setup: DriverSetup) {
        self.setup = setup
        let total = setup.inputs.reduce(0) { $0 + $1.size }
        let size = setup.splitSize ?? InputSplitter.defaultSplitSize(totalBytes: total, workers: setup.workerCount)
        splits = InputSplitter.split(setup.inputs, splitSize: size)
        results = Array(repeating: nil, count: splits.count)
    }

    var engineSettings: [UInt8] { [] }

    func start(_ control: any DriverControl) throws {
        _ = control.addStage(taskCount: splits.count, locationBound: false, name: "checksum")
    }

    func payload(for task: TaskID) -> [UInt8] { splits[task.index].wireEncoded() }

    func describe(_ task: TaskID) -> String { "checksum task \(task.index) (input \(splits[task.index].summary))" }

    func validate(_ result: AttemptResult, of task: TaskID) -> ReportCheck {
        guard let chunks = try? WireReader.decode([ChunkChecksum].self, from: result.payload) else {
            return .rejected(reason: "its result of \(describe(task)) does not decode")
        }
        let expected = splits[task.index].chunks
        guard chunks.count == expected.count, zip(chunks, expected).allSatisfy(Self.describes)
        else { return .rejected(reason: "its result of \(describe(task)) does not describe the task's input chunks") }
        return .accepted
    }

    /// Whether `result` can describe `chunk`: the same file; no line (an empty range), or the owned lines' byte
    /// range, which starts inside the chunk, may run past its end (the last line is whole), stays within the
    /// planned file and holds at most one line per byte.
    static func describes(_ result: ChunkChecksum, _ chunk: FileChunk) -> Bool {
        guard result.path == chunk.path, result.lines >= 0, result.start <= result.end else { return false }
        if result.lines == 0 { return result.start == result.end }
        let withinFile = chunk.identity.map { result.end <= $0.size } ?? true
        return chunk.start <= result.start && result.start < chunk.end && withinFile && result.lines <= result.end - result.start
    }

    func committed(_ task: TaskID, attempt: AttemptID, worker: WorkerID, result: AttemptResult, control: any DriverControl) throws {
        results[task.index] = try WireReader.decode([ChunkChecksum].self, from: result.payload)
    }

    func stageCompleted(_ stage: Int, control: any DriverControl) throws { control.finish() }

    func finalize(summary: JobSummary) throws -> [(String, Int)] {
        var text = ""
        var lines = 0
        var bytes = 0
        for (index, chunks) in results.enumerated() {
            for c in chunks ?? [] {
                text += "\(index)\t\(c.path)\t\(c.start)\t\(c.end)\t\(c.lines)\t\(String(c.crc, radix: 16))\n"
                lines += c.lines
                bytes += c.end - c.start
            }
        }
        text += "total\t\(lines) lines\t\(bytes) bytes\n"
        try setup.output.writeFile("part-00000", Array(text.utf8))
        let counters = [("lines", lines), ("bytes", bytes)]
        try setup.output.succeed(successRecord(setup: setup, summary: summary, counters: counters))
        return counters
    }
}

extension Job {
    /// The demo job `checksum` (CRC32C and line count per input split).
    package static var checksum: Job { ChecksumEngine.job }
}
