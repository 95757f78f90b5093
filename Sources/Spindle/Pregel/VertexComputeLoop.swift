import SpindleCore

/// The compute loop of one Pregel superstep over a partition's vertices, in id order: a vertex runs when it is
/// active or has messages, which are its combined one from the dense inbox slots and the keyed ones, merged
/// with the sorted vertex ids. One ``VertexContext`` serves every vertex.
struct VertexComputeLoop<VertexValue: WireCodable & Sendable, EdgeValue: Sendable, Message: WireCodable & Sendable> {
    let graph: GraphPartition<EdgeValue>
    let vertex: VertexContext<VertexValue, EdgeValue, Message>
    let compute: PregelJob<VertexValue, EdgeValue, Message>.Compute
    /// Keyed messages, sorted by target id.
    let keyed: RunMerger
    /// Combined messages, one slot per local vertex (jobs with a combiner).
    let combined: CombinedSlots<Message>?
    /// The map-side buffer of keyed sends, whose failure (a failed spill) ends the loop.
    let sink: MapOutputSink<Message>
    let context: TaskContext

    /// Runs compute on every vertex that is active or has messages.
    /// - Returns: the vertices left active and the keyed messages read.
    /// - Throws: a ``TaskFailure`` for a message to a vertex the partition does not hold, the first failure of a
    ///   send or an aggregator use, ``TaskCancelled``, or a damaged message block.
    func run(values: inout [VertexValue], halted: inout [Bool]) throws -> (active: Int, received: Int) {
        try graph.ids.withUnsafeBufferPointer { ids in
            try graph.offsets.withUnsafeBufferPointer { offsets in
                try values.withUnsafeMutableBufferPointer { values in
                    try halted.withUnsafeMutableBufferPointer { halted in
                        try loop(ids: ids, offsets: offsets, values: values, halted: halted)
                    }
                }
            }
        }
    }

    private func loop(
        ids: UnsafeBufferPointer<Int64>, offsets: UnsafeBufferPointer<Int>, values: UnsafeMutableBufferPointer<VertexValue>,
        halted: UnsafeMutableBufferPointer<Bool>
    ) throws -> (active: Int, received: Int) {
        let vertex = self.vertex
        let compute = self.compute
        let inbox = keyed
        var hasMessage = try inbox.next()
        var active = 0
        var received = 0
        // A vertex's messages: its combined one alone in `single` (reused) when no keyed ones are addressed to it,
        // else gathered in `messages`. The combined inbox's slots are read directly: this runs once per vertex.
        // Declared here, not captured from outside, so that passing them to `compute` needs no retain.
        var messages: [Message] = []
        var single: [Message] = []
        let none: [Message] = []
        let combinedPresent = combined?.present
        let combinedValues = combined?.values
        @inline(__always) func run(_ i: Int, _ messages: [Message]) {
            vertex.local = i
            vertex.edgeStart = offsets[i]
            vertex.storedOutDegree = offsets[i + 1] - offsets[i]
            vertex.storedID = ids[i]
            vertex.storedValue = values[i]
            vertex.halted = false
            compute(vertex, messages)
            values[i] = vertex.storedValue
            halted[i] = vertex.halted
            if !vertex.halted { active += 1 }
        }
        for i in 0..<ids.count {
            let id = ids[i]
            let holdsCombined = combinedPresent?[i] ?? false
            if !hasMessage || Int64(shuffleBytes: inbox.key) > id {
                if holdsCombined {
                    let message = combinedValues.unsafelyUnwrapped[i]
                    if single.isEmpty { single.append(message) } else { single[0] = message }
                    run(i, single)
                } else if !halted[i] {
                    run(i, none)
                }
            } else {
                messages.removeAll(keepingCapacity: true)
                if holdsCombined { messages.append(combinedValues.unsafelyUnwrapped[i]) }
                while hasMessage {
                    let target = Int64(shuffleBytes: inbox.key)
                    if target > id { break }
                    guard target == id else { throw noVertex(target) }
                    var reader = WireReader(inbox.value)
                    messages.append(try Message(from: &reader))
                    received += 1
                    hasMessage = try inbox.next()
                }
                run(i, messages)
            }
            if i & 4095 == 4095 {
                try context.checkCancelled()
                try checkFailures()
            }
        }
        if hasMessage { throw noVertex(Int64(shuffleBytes: inbox.key)) }
        try checkFailures()
        return (active, received)
    }

    /// Throws the first failure of a send or an aggregator use so far.
    private func checkFailures() throws {
        if let failure = sink.failure { throw failure }
        if let failure = vertex.failure { throw failure }
    }

    private func noVertex(_ target: Int64) -> TaskFailure {
        TaskFailure("a message was sent to vertex \(target), which does not exist (superstep \(vertex.storedSuperstep - 1))")
    }
}
