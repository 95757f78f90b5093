/// Why decoding bytes of the wire format failed. Decoding never traps on malformed input; it throws one of these.
public enum WireError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ended early: `needed` bytes were required at the current position but only `available` remained.
    case truncated(needed: Int, available: Int)
    /// The bytes were present but do not form a valid value of `type` (e.g. a bool byte of 2, an overlong varint).
    case invalidValue(type: String, detail: String)
    /// A whole-buffer decode finished with `count` bytes left over.
    case trailingBytes(count: Int)
    /// A length or count prefix announced more than the `remaining` bytes of input, so nothing was allocated for it.
    case lengthTooLarge(length: UInt64, remaining: Int)

    /// One sentence describing the failure.
    public var description: String {
        switch self {
        case let .truncated(needed, available):
            return "The input ended early: \(needed) bytes were needed but only \(available) were available."
        case let .invalidValue(type, detail):
            return "The input holds an invalid \(type) value: \(detail)."
        case let .trailingBytes(count):
            return "The input has \(count) unexpected bytes left over after the decoded value."
        case let .lengthTooLarge(length, remaining):
            return "The input declares a length of \(length) but only \(remaining) bytes remain."
        }
    }
}
