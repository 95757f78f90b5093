// Jobs used only by the multi-process tests: failures injected into map and reduce calls, invocation
// counting with marker files, and timing records that show parallelism (after the MIT 6.5840 lab tests).
// Built as its own executable on top of the public Spindle API, as a user's own package would be.
import Foundation
import Spindle
import SpindleCore
import SpindleJobs


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
        Thread.sleep(forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
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
        if calls == stallAt { Thread.sleep(forTimeInterval: Double(stall.components.seconds) + Double(stall.components.attoseconds) / 1e18) }
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

/// PageRank whose every superstep task first waits `delay`, so tests can kill workers at a chosen superstep.
let slowPageRank: PregelJob<Double, Unweighted, Double> = {
    var job = PageRank.definition
    job.name = "slowpagerank"
    job.summary = "Test only: PageRank with a pause in every superstep task"
    job.parameters.append(JobParameter("delay", .duration, default: "300ms", help: "pause per superstep task"))
    let inner = job.makeCompute
    job.makeCompute = { parameters in
        let compute = try inner(parameters)
        let delay = parameters.duration("delay")
        var paused = false
        return { vertex, messages in
            if !paused {
                paused = true
                Thread.sleep(forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
            }
            compute(vertex, messages)
        }
    }
    return job
}()

/// Master compute keeps a running sum in a global and halts after superstep 7; vertices copy the global and
/// feed sum, min, max and count aggregators. Every vertex ends with 1 + 2 + ... + 7 = 28.
let masterTest = PregelJob<Double, Unweighted, Double>(
    name: "mastertest", summary: "Test only: master compute state, halting and aggregators",
    parameters: [JobParameter("delay", .duration, default: "0s", help: "pause per superstep task")],
    edgeValue: { _ in Unweighted() },
    makeInitialValue: { _ in { _, _, _ in 0 } },
    makeCompute: { parameters in
        let delay = parameters.duration("delay")
        var paused = false
        return { vertex, _ in
            if !paused {
                paused = true
                Thread.sleep(forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
            }
            vertex.value = vertex.global("acc") ?? 0
            vertex.aggregate("one", 1)
            vertex.aggregate("smallest", Double(vertex.id))
            vertex.aggregate("largest", Double(vertex.id))
            vertex.aggregate("vertices", 1)
        }
    },
    aggregators: [.sum("one"), .min("smallest"), .max("largest"), .count("vertices")],
    makeMasterCompute: { _ in
        { master in
            master.globals["acc", default: 0] += Double(master.superstep + 1)
            if master.superstep == 7 { master.halt = true }
        }
    })

/// Every vertex sends 1 to each out-neighbour once; then its value is `count * 1_000_000 + sum` of what it
/// received, showing how many messages arrived (combined or not) and that none was lost.
func inboxTest(name: String, combine: Bool) -> PregelJob<Double, Unweighted, Double> {
    let sum: @Sendable (inout Double, Double) -> Void = { total, next in total += next }
    let compute: @Sendable (VertexContext<Double, Unweighted, Double>, [Double]) -> Void = { vertex, messages in
        if vertex.superstep == 0 {
            vertex.sendToAllNeighbors(1)
        } else {
            vertex.value = Double(messages.count) * 1_000_000 + messages.reduce(0, +)
        }
        vertex.voteToHalt()
    }
    let initial: @Sendable (Int64, Int, Int) -> Double = { _, _, _ in 0 }
    return PregelJob<Double, Unweighted, Double>(
        name: name, summary: "Test only: messages received per vertex (" + (combine ? "with" : "without") + " a combiner)",
        edgeValue: { _ in Unweighted() },
        makeInitialValue: { _ in initial },
        makeCompute: { _ in compute },
        combine: combine ? sum : nil)
}

Spindle.main(
    jobs: BuiltinJobs.all + [
        crashTest.job, jobCount.job, timing.job, slowPageRank.job, masterTest.job,
        inboxTest(name: "combinertest", combine: true).job, inboxTest(name: "nocombinertest", combine: false).job,
    ])
