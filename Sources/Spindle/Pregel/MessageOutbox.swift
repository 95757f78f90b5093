import SpindleCore

/// Where a vertex's keyed sends go: a map-side buffer keyed by target vertex, combined and partitioned by owner.
final class MessageOutbox<Message: WireCodable & Sendable> {
    let output: MapOutput<Int64, Message>
    init(output: MapOutput<Int64, Message>) { self.output = output }
    @inline(__always) func send(to target: Int64, _ message: Message) { output.emit(target, message) }
}
