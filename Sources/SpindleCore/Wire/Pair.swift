/// Two values travelling together, e.g. a composite shuffle key or a (key, value) record.
///
/// Equatable, Hashable, Comparable (lexicographic: `first`, then `second`), Sendable and WireCodable
/// whenever both components are. Wire form: `first`'s encoding followed by `second`'s.
public struct Pair<First, Second> {
    /// The first component; compared first.
    public var first: First
    /// The second component; breaks ties in `first`.
    public var second: Second

    /// Creates a pair of `first` and `second`.
    public init(_ first: First, _ second: Second) {
        self.first = first
        self.second = second
    }
}

extension Pair: Sendable where First: Sendable, Second: Sendable {}

extension Pair: Equatable where First: Equatable, Second: Equatable {}

extension Pair: Hashable where First: Hashable, Second: Hashable {}

extension Pair: Comparable where First: Comparable, Second: Comparable {
    /// Lexicographic order: by `first`, then by `second`.
    public static func < (lhs: Pair, rhs: Pair) -> Bool {
        if lhs.first != rhs.first { return lhs.first < rhs.first }
        return lhs.second < rhs.second
    }
}

extension Pair: WireCodable where First: WireCodable, Second: WireCodable {
    /// `first`'s encoding, then `second`'s.
    @inlinable public func encode(to writer: inout WireWriter) {
        first.encode(to: &writer)
        second.encode(to: &writer)
    }

    /// Reads `first`, then `second`.
    @inlinable public init(from reader: inout WireReader) throws {
        let first = try First(from: &reader)
        let second = try Second(from: &reader)
        self.init(first, second)
    }
}

extension Pair: CustomStringConvertible {
    /// `(first, second)`.
    public var description: String { "(\(first), \(second))" }
}
