// MapReduce jobs of the multi-process tests: failures injected into map and reduce calls, invocation counting
// with marker files, and timing records that show parallelism (after the MIT 6.5840 lab tests).
import Foundation
import Spindle
import SpindleCore
import SpindleJobs
import SpindlePosix
import SpindleTools

/// Word count, with a share of its map and reduce tasks crashing the worker process or stalling.
let crashTest = MapReduceJob<ByteString, Int>(
    name: "crashtest", summary: "Test only: word count whose tasks crash or stall at random",
    parameters: [
        JobParameter("crash-rate", .double, default: "0.3", help: "share of tasks whose worker exits mid-task"),
        JobParameter("stall-rate", .double, default: "0.2", help: "share of tasks that stall"),
        JobParameter("stall", .duration, default: "3s", help: "how long a stall lasts"),
        JobParameter("reduce-delay", .duration, default: "0s", help: "how long every reduce task waits before starting"),
        JobParameter("crash-dir", .string, default: "", help: "with max-crashes: where crash tickets are claimed"),
        JobParameter("max-crashes", .int(-1...1000), default: "-1", help: "crashes allowed in the whole job (-1: no limit)"),
    ],
    makeMap: { parameters in
        let fault = Fault(parameters)
        let tokenizer = WordTokenizer(lowercase: false)
        return { record, output in
            fault.step()
            tokenizer.forEachWord(in: record.bytes) { output.emit(keyBytes: $0, 1) }
        }
    },
    combine: { $0 += $1 },
    makeReduce: { parameters in
        let fault = Fault(parameters)
        let delay = parameters.duration("reduce-delay")
        MonotonicClock.sleep(delay)
        return { word, counts, output in
            fault.step()
            var total = 0
            for c in counts { total += c }
            try output.write(word, total)
        }
    })

/// Decides once per task whether (and after how many calls) it crashes or stalls.
final class Fault: @unchecked Sendable {  // Used by one task thread only.
    private var calls = 0
    private let crashAt: Int?
    private let stallAt: Int?
    private let stall: Duration
    private let crashDir: String
    private let maxCrashes: Int

    init(_ parameters: JobParameters) {
        crashDir = parameters.string("crash-dir")
        maxCrashes = parameters.int("max-crashes")
        var rng = SystemRandomNumberGenerator()
        crashAt = Double.random(in: 0..<1, using: &rng) < parameters.double("crash-rate") ? Int.random(in: 0..<40, using: &rng) : nil
        stallAt = Double.random(in: 0..<1, using: &rng) < parameters.double("stall-rate") ? Int.random(in: 0..<40, using: &rng) : nil
        stall = parameters.duration("stall")
    }

    func step() {
        if calls == crashAt && mayCrash() { exit(1) }  // The worker dies mid-task.
        if calls == stallAt { MonotonicClock.sleep(stall) }
        calls += 1
    }

    /// Claims one of the job's crash tickets (files created exclusively), so a job's crashes are bounded
    /// and it converges even though every crash loses the map outputs its worker held.
    private func mayCrash() -> Bool {
        guard maxCrashes >= 0 else { return true }
        for i in 0..<maxCrashes {
            let fd = open("\(crashDir)/crash-\(i)", O_CREAT | O_EXCL | O_WRONLY, 0o644)
            if fd >= 0 {
                close(fd)
                return true
            }
        }
        return false
    }
}

/// Word count whose reduce of the word `poison` fails, but only once another reduce partition has committed
/// a part file in `watch` (the job's output directory; it gives up waiting after 60 s): a job that fails with
/// part of its output already committed. Touches `watch`/../committed-seen when it saw a part file.
let failReduce = MapReduceJob<ByteString, Int>(
    name: "failreduce", summary: "Test only: word count whose reduce of 'poison' fails after other parts committed",
    parameters: [JobParameter("watch", .string, default: nil, help: "the output directory to watch for part files")],
    makeMap: { _ in
        let tokenizer = WordTokenizer(lowercase: false)
        return { record, output in tokenizer.forEachWord(in: record.bytes) { output.emit(keyBytes: $0, 1) } }
    },
    combine: { $0 += $1 },
    makeReduce: { parameters in
        let watch = parameters.string("watch")
        return { word, counts, output in
            if word == ByteString("poison") {
                let deadline = Date().addingTimeInterval(60)
                while Date() < deadline {
                    let names = (try? FileManager.default.contentsOfDirectory(atPath: watch)) ?? []
                    if names.contains(where: { $0.hasPrefix("part-") }) {
                        _ = FileManager.default.createFile(atPath: watch + "/../committed-seen", contents: nil)
                        break
                    }
                    Thread.sleep(forTimeInterval: 0.02)
                }
                throw PoisonError()
            }
            var total = 0
            for c in counts { total += c }
            try output.write(word, total)
        }
    })

struct PoisonError: Error, CustomStringConvertible {
    var description: String { "the reduce of 'poison' fails on purpose" }
}

/// Word count that drops a marker file for every map and reduce task attempt it runs.
let jobCount = MapReduceJob<ByteString, Int>(
    name: "jobcount", summary: "Test only: word count that leaves a marker file per task attempt",
    parameters: [JobParameter("dir", .string, default: nil, help: "directory for marker files")],
    makeMap: { parameters in
        Marker(dir: parameters.string("dir"), kind: "map").drop()
        let tokenizer = WordTokenizer(lowercase: false)
        return { record, output in
            tokenizer.forEachWord(in: record.bytes) { output.emit(keyBytes: $0, 1) }
        }
    },
    combine: { $0 += $1 },
    makeReduce: { parameters in
        Marker(dir: parameters.string("dir"), kind: "reduce").drop()
        return { word, counts, output in
            var total = 0
            for c in counts { total += c }
            try output.write(word, total)
        }
    })

struct Marker {
    let dir: String
    let kind: String
    func drop() {
        let name = "\(dir)/\(kind)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: name, contents: nil)
    }
}

/// Every map and reduce task records its process id and start and end times (after sleeping 1 s).
let timing = MapReduceJob<ByteString, Int>(
    name: "timing", summary: "Test only: tasks record when and where they ran",
    parameters: [JobParameter("dir", .string, default: nil, help: "directory for timing records")],
    makeMap: { parameters in
        let dir = parameters.string("dir")
        var first = true
        return { record, output in
            if first {
                first = false
                recordTiming(dir: dir, kind: "map")
            }
            output.emit(keyBytes: record.bytes, 1)
        }
    },
    combine: { $0 += $1 },
    makeReduce: { parameters in
        recordTiming(dir: parameters.string("dir"), kind: "reduce")
        return { key, counts, output in
            var total = 0
            for c in counts { total += c }
            try output.write(key, total)
        }
    })

func recordTiming(dir: String, kind: String) {
    let start = Date().timeIntervalSince1970
    Thread.sleep(forTimeInterval: 1)
    let end = Date().timeIntervalSince1970
    let name = "\(dir)/\(kind)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
    _ = FileManager.default.createFile(atPath: name, contents: Data("\(ProcessInfo.processInfo.processIdentifier) \(start) \(end)\n".utf8))
}

/// Word count whose every map call throws: the job always fails, and its workers stay alive to say so.
let alwaysFails = MapReduceJob<ByteString, Int>(
    name: "alwaysfails", summary: "Test only: every map task fails with an error",
    map: { _, _ in throw InjectedFailure() }, reduce: nil)

/// A total-order sort whose map throws on every line: the coordinator's key sampling, which runs the map on
/// sampled lines to plan the partition ranges, fails before any task starts.
let sortFails = MapReduceJob<ByteString, Int>(
    name: "sortfails", summary: "Test only: total-order sort whose map fails, so sampling fails",
    partitioning: .totalOrder(samples: 100),
    map: { _, _ in throw InjectedFailure() },
    reduce: { _, _, _ in })

struct InjectedFailure: Error, CustomStringConvertible {
    var description: String { "an injected failure of the alwaysfails test job" }
}
