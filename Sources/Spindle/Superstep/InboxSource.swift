/// Where a superstep's incoming messages come from.
enum InboxSource: Sendable {
    case none
    /// The previous superstep's message outputs on their workers.
    case exchange([SegmentSource])
    /// Message files of a committed checkpoint (one per sending partition).
    case checkpoint([String])
}
