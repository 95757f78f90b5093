import SpindleCore

/// Where a vertex's keyed sends go: a map-side buffer keyed by target vertex, combined and partitioned by owner.
final class MessageOutbox<Message: WireCodable & Sendable> {
    let output: MapOutput<Int64, Message>
    /// Whether a send to a vertex is kept; nil keeps every send. A narrowed replay drops the sends to vertices of
    /// partitions that do not read them before they are encoded.
    let keeps: ((Int64) -> Bool)?

    init(output: MapOutput<Int64, Message>, keeps: ((Int64) -> Bool)? = nil) {
        self.output = output
        self.keeps = keeps
    }

    @inline(__always) func send(to target: Int64, _ message: Message) {
        if let keeps, !keeps(target) { return }
        output.emit(target, message)
    }
}
