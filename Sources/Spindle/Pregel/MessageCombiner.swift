/// How a Pregel job combines messages to the same vertex, on the sender and on the receiver. `.sum`, `.min`
/// and `.max` of `Double` or `Int64` messages run as plain arithmetic over the message slots, with no
/// closure call per message; `.custom` takes any associative and commutative function.
public struct MessageCombiner<Message>: Sendable {
    @usableFromInline enum Kind: Sendable, Equatable { case sum, min, max, custom }
    let kind: Kind
    let combine: @Sendable (inout Message, Message) -> Void

    /// Combines with `combine`, which must be associative and commutative.
    public static func custom(_ combine: @escaping @Sendable (inout Message, Message) -> Void) -> MessageCombiner {
        MessageCombiner(kind: .custom, combine: combine)
    }
}

extension MessageCombiner where Message: AdditiveArithmetic & SendableMetatype {
    /// Adds the messages.
    public static var sum: MessageCombiner { MessageCombiner(kind: .sum) { $0 += $1 } }
}

extension MessageCombiner where Message: Comparable & SendableMetatype {
    /// Keeps the smallest message.
    public static var min: MessageCombiner { MessageCombiner(kind: .min) { $0 = Swift.min($0, $1) } }
    /// Keeps the largest message.
    public static var max: MessageCombiner { MessageCombiner(kind: .max) { $0 = Swift.max($0, $1) } }
}
