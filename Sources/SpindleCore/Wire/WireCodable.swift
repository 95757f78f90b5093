/// A type with a binary wire encoding: `encode(to:)` appends it, `init(from:)` reads it back.
///
/// Contract for conformers:
/// - `init(from:)` must consume exactly the bytes `encode(to:)` wrote, so values can be concatenated.
/// - Every encoding takes at least one byte. Arrays rely on this to reject a count larger than the
///   remaining input before reserving memory; a zero-byte encoding would make such arrays undecodable.
/// - Malformed input throws (preferably `WireError`); it must never trap.
public protocol WireCodable {
    /// Appends this value's encoding to `writer`.
    func encode(to writer: inout WireWriter)
    /// Reads one value from `reader`, advancing past its encoding.
    init(from reader: inout WireReader) throws
}
