import SpindleCore

/// A partition's combined message slots: what it received (one slot per local vertex), what it sends
/// (one slot per resolved target), and what its vertices broadcast (one slot per local vertex).
final class SuperstepSlots<Message: WireCodable & Sendable> {
    let inbox: CombinedSlots<Message>
    let outbox: CombinedSlots<Message>
    let broadcasts: CombinedSlots<Message>

    /// Slots for `graph` with `routing`'s targets, combined with `combiner`.
    init<E>(graph: GraphPartition<E>, routing: MessageRouting, combiner: MessageCombiner<Message>) {
        inbox = CombinedSlots(count: graph.vertexCount, combiner: combiner)
        outbox = CombinedSlots(count: routing.slotTargets.count, combiner: combiner)
        broadcasts = CombinedSlots(count: graph.vertexCount, combiner: combiner)
    }

    /// Empties every slot for a new superstep.
    func reset() {
        inbox.reset()
        outbox.reset()
        broadcasts.reset()
    }

    /// Delivers what the vertices broadcast (``broadcasts``) along their edges into the outgoing slots: by slot
    /// when at least a quarter of the edges carry one (sequential writes, reads from the small broadcast array),
    /// by vertex when few do. `broadcastEdges` counts edges once per broadcast, `broadcastingEdges` once per
    /// broadcasting vertex. With `targets` (a narrowed replay), the slots of other partitions are left empty where
    /// that saves work (by slot).
    func deliverBroadcasts<E>(
        graph: GraphPartition<E>, routing: MessageRouting, broadcastEdges: Int, broadcastingEdges: Int, targets: [Int]? = nil
    ) {
        guard broadcastEdges > 0 else { return }
        if broadcastEdges * 4 >= graph.edgeCount {
            let every = broadcastingEdges == graph.edgeCount
            guard let targets else {
                outbox.gather(broadcasts, start: routing.slotEdgeStart, sources: routing.slotSources, everySourceSends: every)
                return
            }
            for q in targets {
                outbox.gather(
                    broadcasts, start: routing.slotEdgeStart, sources: routing.slotSources, everySourceSends: every,
                    slots: routing.slotBase[q]..<routing.slotBase[q + 1])
            }
            return
        }
        routing.edgeSlots.withUnsafeBufferPointer { edgeSlots in
            for v in 0..<graph.vertexCount where broadcasts.holds(v) {
                outbox.add(slots: edgeSlots.baseAddress!, graph.offsets[v], graph.offsets[v + 1], broadcasts.message(v))
            }
        }
    }
}
