/// What a task did with, or learnt of, its partition's graph image: a checksummed copy of the prepared partition (its
/// vertices and edges, before any superstep) that the worker keeps in the checkpoint store once, so that a
/// partition prepared again after a loss reads it back instead of loading the input and rebuilding the graph.
///
/// A prepare task reports where the graph came from; an image it hands to the worker's background writer is
/// `pending` (not intact yet). A later task of the partition on that worker (resolve, superstep) reports, once the
/// write ended, `source` ``Source/loadOutputs`` with whether the image is now intact; see
/// `SuperstepBarrier+GraphImages.swift`.
package struct GraphImageReport: WireCodable, Sendable, Equatable {
    /// Where the prepared partition's graph came from.
    package enum Source: UInt8, Sendable, Equatable {
        /// Built from the load stage's outputs.
        case loadOutputs = 0
        /// Read back from the partition's image.
        case image = 1
        /// Kept from what this worker held of the partition in an older epoch.
        case held = 2
    }

    /// The longest `problem` a worker may report, in UTF-8 bytes.
    package static let maxProblemBytes = 4096

    package var source: Source
    /// Whether the partition's image in the store is intact after the task (read back, or written and renamed
    /// into place).
    package var intact: Bool
    /// Whether the image is still being written in the background (then not `intact` yet).
    package var pending: Bool
    /// Why the image the task was told to read could not be used (missing or damaged); the graph was rebuilt
    /// from the load outputs instead.
    package var problem: String?

    package init(source: Source, intact: Bool, pending: Bool = false, problem: String? = nil) {
        self.source = source
        self.intact = intact
        self.pending = pending
        self.problem = problem
    }

    package func encode(to w: inout WireWriter) {
        w.writeByte(source.rawValue); w.write(intact); w.write(pending); w.write(problem)
    }

    package init(from r: inout WireReader) throws {
        guard let source = Source(rawValue: try r.readByte()) else {
            throw WireError.invalidValue(type: "GraphImageReport.Source", detail: "unknown source")
        }
        self.source = source
        intact = try r.read(Bool.self)
        pending = try r.read(Bool.self)
        problem = try r.read(String?.self)
    }
}
