import SpindleCore

/// The messages delivered to a partition: to compute (``BSPJob/makeCompute``) the ones sent to it in the
/// previous superstep, ordered by sending partition and then in the order each sender sent them; to ``BSPJob/makeState`` the ones
/// the loaders sent, ordered by input split and then in send order. Every message sent is delivered exactly
/// once (a rolled-back superstep's messages are discarded with it).
///
/// Messages are decoded one at a time as you iterate (nothing is copied up front); the sequence can be
/// iterated more than once, each pass decoding again. Valid only during the call it is handed to. If a
/// message cannot be decoded (damaged data, or a `Message` whose `init(from:)` does not match its
/// `encode(to:)`), iteration ends early and the task fails after the call returns.
public struct BSPMessages<Message: WireCodable & Sendable>: Sequence {
    let segments: [RecordCursor]
    let problems = ProblemBox()
    /// Whether no message was delivered.
    public let isEmpty: Bool

    /// Messages in `segments` (cursors over checked record blocks, in delivery order); `isEmpty` when every
    /// segment is empty.
    init(_ segments: [RecordCursor], isEmpty: Bool) {
        self.segments = segments
        self.isEmpty = isEmpty
    }

    /// An iterator that decodes the messages from the start.
    public func makeIterator() -> Iterator { Iterator(cursors: segments, problems: problems) }

    /// Decodes the messages in delivery order.
    public struct Iterator: IteratorProtocol {
        var cursors: [RecordCursor]
        var index = 0
        let problems: ProblemBox

        /// The next message, or nil at the end (or when a message does not decode: the task then fails).
        public mutating func next() -> Message? {
            while index < cursors.count {
                do {
                    if try cursors[index].next() {
                        var reader = WireReader(cursors[index].value)
                        let message = try Message(from: &reader)
                        try reader.expectEnd()
                        return message
                    }
                    index += 1
                } catch {
                    problems.record(
                        TaskFailure(
                            "message \(cursors[index].recordIndex) of \(cursors[index].source) cannot be decoded as \(Message.self): \(error)"))
                    index = cursors.count
                }
            }
            return nil
        }
    }

    /// The first decoding problem of any iteration, thrown by the engine after the job's closure returns.
    final class ProblemBox {
        private(set) var first: (any Error)?
        func record(_ error: any Error) { if first == nil { first = error } }
    }
}
