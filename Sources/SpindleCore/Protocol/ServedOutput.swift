/// A committed output a worker still holds and serves from its exchange server, as it reports it when it
/// registers (``WorkerInfo/servedOutputs``): after rejoining a resumed coordinator, the map outputs of the run
/// it resumes that the journal committed are reused instead of run again (``ResumePlan/reusableMapOutputs(served:at:)``).
package struct ServedOutput: WireCodable, Equatable, Sendable {
    /// At most this many outputs in one registration; a worker holding more reports the newest.
    package static let maxCount = 4096
    /// At most this many partitions per output.
    package static let maxPartitions = 1 << 16

    package var attempt: AttemptID
    /// Bytes per partition of the output file.
    package var sizes: [Int]

    package init(attempt: AttemptID, sizes: [Int]) {
        self.attempt = attempt
        self.sizes = sizes
    }

    package func encode(to w: inout WireWriter) { w.write(attempt); w.write(sizes) }
    package init(from r: inout WireReader) throws {
        attempt = try r.read(AttemptID.self); sizes = try r.read([Int].self)
    }

    /// What is wrong with a registration's list of served outputs, if anything (a clause): too many, an attempt
    /// listed twice, too many partitions or a negative size.
    package static func problem(with outputs: [ServedOutput]) -> String? {
        if outputs.count > maxCount { return "it lists \(outputs.count) served outputs (at most \(maxCount))" }
        var seen = Set<AttemptID>()
        for output in outputs {
            guard seen.insert(output.attempt).inserted else { return "it lists \(output.attempt) twice among its served outputs" }
            guard output.sizes.count <= maxPartitions else { return "its output of \(output.attempt) has \(output.sizes.count) partitions" }
            guard output.sizes.allSatisfy({ $0 >= 0 && $0 <= 1 << 50 }) else { return "its output of \(output.attempt) has an implausible size" }
        }
        return nil
    }
}
