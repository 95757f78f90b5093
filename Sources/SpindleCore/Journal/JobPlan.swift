/// What a run decided before its first task: the facts a resume must find unchanged (job, parameters, inputs
/// with their identity) and the plan it must reuse (split size, split count, partitions, checkpoint cadence,
/// checkpoint store). The first record of every journal.
package struct JobPlan: Sendable, Equatable, WireCodable {
    /// One input file as it was when the job was planned.
    package struct Input: Sendable, Equatable, WireCodable {
        package var path: String
        package var identity: FileIdentity?

        package init(path: String, identity: FileIdentity?) {
            self.path = path
            self.identity = identity
        }

        package func encode(to w: inout WireWriter) {
            w.write(path)
            w.write(identity)
        }

        package init(from r: inout WireReader) throws {
            path = try r.read(String.self)
            identity = try r.read(FileIdentity?.self)
        }
    }

    package var job: String
    /// The resolved parameters, sorted by name.
    package var parameters: [Pair<String, String>]
    package var inputs: [Input]
    /// The split size the input was cut with, and how many splits it gave.
    package var splitSize: Int
    package var splits: Int
    /// Reduce partitions (MapReduce) and graph partitions (Pregel, BSP), as resolved for this run.
    package var reducers: Int
    package var partitions: Int
    package var checkpointEvery: Int
    package var maxSupersteps: Int
    /// `--checkpoint-store` as given (``CheckpointStoreSetting/auto`` by default); nil in journals written before the
    /// field existed. With `auto` the store is decided when the job starts and journaled then
    /// (``JournalRecord/checkpointStoreChosen(_:)``); ``ResumePlan/checkpointStore`` says where checkpoints live.
    package var checkpointStore: CheckpointStoreSetting?

    package init(
        job: String, parameters: [Pair<String, String>], inputs: [Input], splitSize: Int, splits: Int, reducers: Int, partitions: Int,
        checkpointEvery: Int, maxSupersteps: Int, checkpointStore: CheckpointStoreSetting? = .auto
    ) {
        self.job = job
        self.parameters = parameters.sorted { $0.first < $1.first }
        self.inputs = inputs
        self.splitSize = splitSize
        self.splits = splits
        self.reducers = reducers
        self.partitions = partitions
        self.checkpointEvery = checkpointEvery
        self.maxSupersteps = maxSupersteps
        self.checkpointStore = checkpointStore
    }

    /// The checkpoint store goes last, as its name (a plan is the last field of its record): a plan of an older
    /// journal ends before it and decodes with nil.
    package func encode(to w: inout WireWriter) {
        w.write(job); w.write(parameters); w.write(inputs); w.write(splitSize); w.write(splits); w.write(reducers); w.write(partitions)
        w.write(checkpointEvery); w.write(maxSupersteps)
        if let checkpointStore { w.write(checkpointStore.rawValue) }
    }

    /// - Throws: ``WireError`` when a field does not decode, or the checkpoint store is not one of
    ///   ``CheckpointStoreSetting``'s names.
    package init(from r: inout WireReader) throws {
        job = try r.read(String.self); parameters = try r.read([Pair<String, String>].self); inputs = try r.read([Input].self)
        splitSize = try r.read(Int.self); splits = try r.read(Int.self); reducers = try r.read(Int.self); partitions = try r.read(Int.self)
        checkpointEvery = try r.read(Int.self); maxSupersteps = try r.read(Int.self)
        if r.isAtEnd {
            checkpointStore = nil
        } else {
            let name = try r.read(String.self)
            guard let setting = CheckpointStoreSetting(rawValue: name) else {
                throw WireError.invalidValue(type: "job plan", detail: "unknown checkpoint store '\(name.prefix(40))'")
            }
            checkpointStore = setting
        }
    }

    /// Why a run planned as `current` may not resume the journaled run planned as `self`, as a clause
    /// ("the input 'a.txt' changed: its size went from 10 to 4 bytes"), or nil when it may. The plan's sizes
    /// (split size, partitions) are compared only where `current` was given them explicitly: the resume
    /// otherwise adopts the journal's.
    /// - Parameter explicit: which of `splitSize`, `reducers`, `partitions` the user gave on the command line.
    package func refusal(toResumeAs current: JobPlan, explicit: Set<String>) -> String? {
        if current.job != job { return "it belongs to job '\(job)', not '\(current.job)'" }
        if current.parameters != parameters {
            let was = Dictionary(parameters.map { ($0.first, $0.second) }, uniquingKeysWith: { a, _ in a })
            let now = Dictionary(current.parameters.map { ($0.first, $0.second) }, uniquingKeysWith: { a, _ in a })
            let name = Set(was.keys).union(now.keys).sorted().first { was[$0] != now[$0] } ?? "?"
            return "it ran with parameter \(name)=\(was[name] ?? "(unset)"), not \(name)=\(now[name] ?? "(unset)")"
        }
        let before = inputs.map(\.path), after = current.inputs.map(\.path)
        if before != after {
            let gone = before.first { !after.contains($0) }, added = after.first { !before.contains($0) }
            if let gone { return "its input '\(gone)' is no longer among the inputs" }
            if let added { return "'\(added)' was not among its inputs" }
            return "its inputs were listed in another order"
        }
        for (was, now) in zip(inputs, current.inputs) {
            guard let planned = was.identity, let found = now.identity else { continue }
            if let change = found.changes(since: planned) { return "the input '\(was.path)' changed since: \(change)" }
        }
        for (name, a, b) in [("--checkpoint-every", checkpointEvery, current.checkpointEvery), ("--max-supersteps", maxSupersteps, current.maxSupersteps)]
        where a != b {
            return "it ran with \(name) \(a), not \(b)"
        }
        for (name, a, b) in [("split-size", splitSize, current.splitSize), ("reducers", reducers, current.reducers), ("partitions", partitions, current.partitions)]
        where explicit.contains(name) && a != b {
            return "it ran with --\(name) \(a), not \(b)"
        }
        return nil
    }
}
