import SpindleCore
import SpindlePosix

/// The coordinator side of a MapReduce run: splits the input, samples keys for a total-order partitioner,
/// plans the stages (line count if asked, map, reduce), tells each reduce task where the map outputs are,
/// commits part files, and sums the counters of committed attempts into `_SUCCESS`.
final class MapReduceDriver: JobDriver {
    private let setup: DriverSetup
    private let splits: [InputSplit]
    private let mapOnly: Bool
    private let lineNumbers: Bool
    private let totalOrderSamples: Int?
    private let sampleKeys: ([TextRecordSample]) throws -> [[UInt8]]
    private var settings: MapReduceSettings
    private var lineCounts: [[Int]?]
    /// Committed map attempts: where their output lives and its partition sizes.
    private var mapOutputs: [(attempt: AttemptID, worker: WorkerID, sizes: [Int])?]
    private var exchangeAddresses: [WorkerID: HostPort] = [:]
    /// Journaled map outputs that workers rejoining this resumed run still serve, re-bound to their new ids.
    private var rejoinedMapOutputs: [Int: MapOutputRecord] = [:]
    /// Counters of each task's committed attempt (replaced when a lost map runs again).
    private var taskCounters: [TaskID: [Pair<String, Int>]] = [:]
    private(set) var engineSettings: [UInt8] = []

    /// Plans the job: splits the input and, for total-order partitioning, samples keys to pick the ranges.
    /// - Throws: ``SpindleError`` when sampling fails (``SpindleError/Code/badInput`` for a malformed record), since
    ///   without samples every key would go to one partition.
    init(
        setup: DriverSetup, lineNumbers: Bool, mapOnly: Bool, totalOrderSamples: Int?, sampleKeys: @escaping ([TextRecordSample]) throws -> [[UInt8]]
    ) throws {
        self.setup = setup
        self.mapOnly = mapOnly
        self.lineNumbers = lineNumbers
        self.totalOrderSamples = totalOrderSamples
        self.sampleKeys = sampleKeys
        let total = setup.inputs.reduce(0) { $0 + $1.size }
        let size = setup.splitSize ?? InputSplitter.defaultSplitSize(totalBytes: total, workers: setup.workerCount)
        splits = InputSplitter.split(setup.inputs, splitSize: size)
        lineCounts = Array(repeating: nil, count: splits.count)
        mapOutputs = Array(repeating: nil, count: splits.count)
        let reducers = mapOnly ? 0 : (setup.reducers ?? max(1, setup.workerCount * 2))
        settings = MapReduceSettings(
            reducers: reducers, mapBufferBytes: max(1 << 20, setup.memoryBudget / 2), maxRecord: setup.maxRecord,
            skipBadRecords: setup.skipBadRecords, outputDirectory: setup.output.directory, rangeBounds: [],
            countStage: lineNumbers ? 0 : nil, mapStage: lineNumbers ? 1 : 0, reduceStage: mapOnly ? nil : (lineNumbers ? 2 : 1))
        if let samples = totalOrderSamples, reducers > 1 {
            do {
                settings.rangeBounds = try PartitionFunction.rangeBounds(fromSamples: sampleInput(count: samples), partitions: reducers)
            } catch {
                throw SpindleError(
                    error is MalformedRecord ? .badInput : .other,
                    "sampling the input to plan total-order partitioning failed: \(error); fix the input or the job's map function, "
                        + "or use hash partitioning")
            }
        }
        engineSettings = settings.wireEncoded()
    }

    func start(_ control: any DriverControl) throws {
        // A resumed run: part files its journal committed (and that are still intact) are not written again.
        let restored = restoredTasks()
        let outputTasks = mapOnly ? splits.count : settings.reducers
        if let resume = setup.resume, restored.count == outputTasks {
            let stage = mapOnly ? settings.mapStage : settings.reduceStage!
            for (index, task) in restored { taskCounters[TaskID(stage: stage, index: index)] = task.counters }
            if !mapOnly {
                for (index, task) in resume.committedMaps { taskCounters[TaskID(stage: settings.mapStage, index: index)] = task.counters }
            }
            control.finish()
            return
        }
        if lineNumbers { _ = control.addStage(taskCount: splits.count, locationBound: false, name: "count lines") }
        _ = control.addStage(taskCount: splits.count, locationBound: !mapOnly, name: "map")
        if !mapOnly { _ = control.addStage(taskCount: settings.reducers, locationBound: false, name: "reduce") }
        let stage = mapOnly ? settings.mapStage : settings.reduceStage!
        for (index, task) in restored.sorted(by: { $0.key < $1.key }) {
            control.restoreCommitted(TaskID(stage: stage, index: index), attempt: task.attempt, worker: task.worker)
            taskCounters[TaskID(stage: stage, index: index)] = task.counters
        }
        try reuseRejoinedMapOutputs(control)
    }

    func workerRejoined(_ worker: WorkerID, serving served: [ServedOutput], control: any DriverControl) {
        guard let resume = setup.resume, !mapOnly, !served.isEmpty, let address = control.exchangeAddress(of: worker) else { return }
        for (index, output) in resume.reusableMapOutputs(served: served, at: address) where rejoinedMapOutputs[index] == nil {
            var rebound = output
            rebound.worker = worker
            rejoinedMapOutputs[index] = rebound
        }
    }

    /// Counts the map tasks whose journaled output a rejoined worker still serves as committed on that worker (the
    /// map stage is location-bound: if it is lost, they run again), and journals their new owner.
    private func reuseRejoinedMapOutputs(_ control: any DriverControl) throws {
        let live = Set(control.liveWorkers)
        let reused = rejoinedMapOutputs.filter { live.contains($0.value.worker) }.sorted { $0.key < $1.key }
        rejoinedMapOutputs = [:]
        guard !reused.isEmpty else { return }
        for (index, output) in reused {
            let task = TaskID(stage: settings.mapStage, index: index)
            control.restoreCommitted(task, attempt: output.attempt, worker: output.worker)
            mapOutputs[index] = (output.attempt, output.worker, output.sizes)
            exchangeAddresses[output.worker] = HostPort(host: output.host, port: output.port)
            taskCounters[task] = setup.resume?.committedMaps[index]?.counters ?? []
            try setup.journal?.append(.mapOutput(output), sync: false)
        }
        let workers = Set(reused.map(\.value.worker)).count
        setup.console.log("reusing \(reused.count) of \(splits.count) map outputs still served by \(workers) rejoined worker(s)")
    }

    /// The output tasks (reduce, or map when map-only) the resumed run's journal committed whose part files are
    /// still as the journal describes them (size and CRC32C); one that is not runs again, and the console says why.
    private func restoredTasks() -> [Int: CommittedTaskRecord] {
        guard let resume = setup.resume else { return [:] }
        var restored: [Int: CommittedTaskRecord] = [:]
        for (index, task) in mapOnly ? resume.committedMaps : resume.committedReduces {
            let problems = task.files.compactMap { file in OutputFileDigest.mismatch(in: setup.output.directory, file).map { "\(file.name): \($0)" } }
            if let problem = problems.first {
                setup.console.log("\(problem); its task runs again")
                setup.events.record("restore_refused", [("task", .int(index)), ("cause", .string(problem))])
            } else {
                restored[index] = task
            }
        }
        return restored
    }

    func payload(for task: TaskID) -> [UInt8] {
        if task.stage == settings.countStage { return splits[task.index].wireEncoded() }
        if task.stage == settings.mapStage {
            return MapTaskPayload(split: splits[task.index], firstLineNumbers: firstLineNumbers(of: task.index)).wireEncoded()
        }
        let sources = mapOutputs.enumerated().compactMap { index, output -> SegmentSource? in
            guard let output, let address = exchangeAddresses[output.worker] else { return nil }
            return SegmentSource(producer: index, attempt: output.attempt, host: address.host, port: address.port, bytes: output.sizes[task.index])
        }
        return ReduceTaskPayload(partition: task.index, sources: sources).wireEncoded()
    }

    func describe(_ task: TaskID) -> String {
        if task.stage == settings.countStage { return "line-count task \(task.index) (input \(splits[task.index].summary))" }
        if task.stage == settings.mapStage { return "map task \(task.index) (input \(splits[task.index].summary))" }
        return "reduce task \(task.index) (partition \(task.index) of \(settings.reducers))"
    }

    func validate(_ result: AttemptResult, of task: TaskID) -> ReportCheck {
        if task.stage == settings.countStage {
            guard let counts = try? WireReader.decode([Int].self, from: result.payload) else {
                return .rejected(reason: "its line counts for \(describe(task)) do not decode")
            }
            guard counts.count == splits[task.index].chunks.count else {
                return .rejected(reason: "it reported \(counts.count) line counts for \(describe(task)), which has \(splits[task.index].chunks.count) chunks")
            }
            return ReportLimits.checkCounts(counts, "line counts")
        }
        guard let report = try? WireReader.decode(TaskReport.self, from: result.payload) else {
            return .rejected(reason: "its report of \(describe(task)) does not decode")
        }
        let expectedSizes = task.stage == settings.mapStage && !mapOnly ? settings.reducers : 0
        guard report.partitionSizes.count == expectedSizes else {
            return .rejected(reason: "it reported \(report.partitionSizes.count) partition sizes for \(describe(task)), expected \(expectedSizes)")
        }
        if case .rejected(let reason) = ReportLimits.checkCounts(report.partitionSizes, "partition sizes") { return .rejected(reason: reason) }
        let writesPart = task.stage == settings.reduceStage || (task.stage == settings.mapStage && mapOnly)
        if writesPart {
            guard let output = result.statistics.output else { return .rejected(reason: "it reported no part file digest for \(describe(task))") }
            guard output.size >= 0, output.size <= ReportLimits.maxCount else {
                return .rejected(reason: "it reported a part file of \(output.size) bytes for \(describe(task))")
            }
        } else if result.statistics.output != nil {
            return .rejected(reason: "it reported a part file digest for \(describe(task)), which writes no part file")
        }
        return Self.checkCounters(report.counters)
    }

    /// Counters: at most ``ReportLimits/maxEntries``, named (at most 256 bytes, no control characters), each
    /// value within ±``ReportLimits/maxCount`` so that sums over tasks cannot overflow.
    static func checkCounters(_ counters: [Pair<String, Int>]) -> ReportCheck {
        guard counters.count <= ReportLimits.maxEntries else { return .rejected(reason: "it reported \(counters.count) counters") }
        for counter in counters {
            guard !counter.first.isEmpty, counter.first.utf8.count <= 256, !counter.first.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
                return .rejected(reason: "it reported a counter with an invalid name")
            }
            guard counter.second.magnitude <= UInt(ReportLimits.maxCount) else {
                return .rejected(reason: "counter '\(counter.first)' has an implausible value (\(counter.second))")
            }
        }
        return .accepted
    }

    func committed(_ task: TaskID, attempt: AttemptID, worker: WorkerID, result: AttemptResult, control: any DriverControl) throws {
        if task.stage == settings.countStage {
            lineCounts[task.index] = try WireReader.decode([Int].self, from: result.payload)
            return
        }
        let report = try WireReader.decode(TaskReport.self, from: result.payload)
        taskCounters[task] = report.counters
        if task.stage == settings.mapStage && !mapOnly {
            guard report.partitionSizes.count == settings.reducers else {
                throw TaskFailure("\(describe(task)) reported \(report.partitionSizes.count) partitions, expected \(settings.reducers)")
            }
            guard let address = control.exchangeAddress(of: worker) else {
                throw TaskFailure("\(worker) committed \(describe(task)) but its exchange address is unknown")
            }
            exchangeAddresses[worker] = address
            mapOutputs[task.index] = (attempt, worker, report.partitionSizes)
            try setup.journal?.append(
                .mapOutput(
                    MapOutputRecord(
                        index: task.index, attempt: attempt, worker: worker, host: address.host, port: address.port, sizes: report.partitionSizes)),
                sync: false)
            // No fsync: a map whose records a crash loses runs again on resume; one whose records survive is reused
            // only if its worker rejoins still serving exactly this output (``ResumePlan/reusableMapOutputs(served:at:)``).
            try setup.journal?.append(
                .taskCommitted(CommittedTaskRecord(kind: .map, index: task.index, attempt: attempt, worker: worker, files: [], counters: report.counters)),
                sync: false)
        } else {
            let name = OutputCommitter.partName(task.index)
            try setup.output.commit(temporaryPath: setup.output.temporaryPath(attempt: attempt, name: name), as: name)
            if let journal = setup.journal {
                let file = try OutputFileDigest.reported(result.statistics.output, at: setup.output.directory + "/" + name, name: name)
                try journal.append(
                    .taskCommitted(
                        CommittedTaskRecord(
                            kind: mapOnly ? .map : .reduce, index: task.index, attempt: attempt, worker: worker, files: [file], counters: report.counters)))
            }
        }
    }

    func stageCompleted(_ stage: Int, control: any DriverControl) throws {
        if stage == settings.reduceStage {
            control.releaseStage(settings.mapStage)
            control.finish()
        } else if stage == settings.mapStage && mapOnly {
            control.finish()
        }
    }

    func finalize(summary: JobSummary) throws -> [(String, Int)] {
        var totals: [String: Int] = [:]
        for counters in taskCounters.values {
            for pair in counters { totals[pair.first, default: 0] += pair.second }
        }
        let counters = totals.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        try setup.output.succeed(successRecord(setup: setup, summary: summary, counters: counters))
        return counters
    }

    /// The first line number of each chunk of split `index`, from the line-count stage (empty without it).
    private func firstLineNumbers(of index: Int) -> [Int] {
        guard lineNumbers else { return [] }
        var linesBefore: [String: Int] = [:]
        for i in 0..<index {
            for (chunk, count) in zip(splits[i].chunks, lineCounts[i] ?? []) { linesBefore[chunk.path, default: 0] += count }
        }
        var result: [Int] = []
        for (chunk, count) in zip(splits[index].chunks, lineCounts[index] ?? []) {
            result.append(linesBefore[chunk.path, default: 0] + 1)
            linesBefore[chunk.path, default: 0] += count
        }
        return result
    }

    /// Reads about `count` lines spread evenly over the splits.
    private func sampleInput(count: Int) throws -> [[UInt8]] {
        var samples: [TextRecordSample] = []
        let perSplit = max(1, count / max(1, splits.count))
        for split in splits {
            var taken = 0
            for chunk in split.chunks where taken < perSplit {
                let file = try InputFileReader(chunk)
                // Take lines from several places in the chunk, not only its start.
                let places = 8
                for place in 0..<places where taken < perSplit {
                    let start = chunk.start + (chunk.end - chunk.start) * place / places
                    let end = chunk.start + (chunk.end - chunk.start) * (place + 1) / places
                    let part = FileChunk(path: chunk.path, start: start, end: end, identity: chunk.identity)
                    let reader = LineBlockReader(file: file, chunk: part, maxRecord: setup.maxRecord, blockSize: 64 << 10)
                    do {
                        try reader.forEachBlock(tooLong: { _, _ in throw EnoughSamples() }) { block, offset, limit in
                            try LineScanner(bytes: block).forEachLine(start: 0, end: limit) { lineStart, lineEnd in
                                guard taken < perSplit, (taken * places) / perSplit <= place, lineEnd - lineStart <= setup.maxRecord else {
                                    throw EnoughSamples()
                                }
                                samples.append(
                                    TextRecordSample(line: Array(block[lineStart..<lineEnd]), path: chunk.path, offset: offset + lineStart))
                                taken += 1
                                return true
                            }
                        }
                    } catch is EnoughSamples {}
                }
            }
        }
        return try sampleKeys(samples)
    }
}

/// Ends reading one place of the input once it gave the samples it should.
private struct EnoughSamples: Error {}
