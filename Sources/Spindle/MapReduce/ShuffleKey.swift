import SpindleCore

/// A key type of a MapReduce job: it crosses the shuffle as bytes whose unsigned lexicographic order is
/// the key order, so the shuffle sorts and groups raw bytes without decoding them.
///
/// Conformances: `ByteString` and `String` (their UTF-8 bytes: byte order, which for `String` is Unicode
/// scalar order), `Int`, `Int64`, `Int32`, `UInt64`, `UInt32` (big-endian, sign bit flipped). A user type conforms by
/// writing an order-preserving encoding; it must be *prefix-free* when it is a part of a larger key.
public protocol ShuffleKey: Sendable {
    /// Appends the order-preserving bytes of the key.
    func appendShuffleBytes(to bytes: inout [UInt8])
    /// Rebuilds the key from its shuffle bytes.
    init(shuffleBytes: UnsafeRawBufferPointer)
    /// Appends the key as it appears in output files (before escaping). Defaults to the shuffle bytes.
    func appendOutputText(to bytes: inout [UInt8])
}

extension ShuffleKey {
    public func appendOutputText(to bytes: inout [UInt8]) { appendShuffleBytes(to: &bytes) }
}

/// Keys whose shuffle bytes are the key's own bytes (text keys), so map code may emit raw byte slices
/// with ``MapOutput/emit(keyBytes:_:)`` and skip building a key value per record.
public protocol RawBytesShuffleKey: ShuffleKey {}

extension ByteString: RawBytesShuffleKey {
    public func appendShuffleBytes(to bytes: inout [UInt8]) { bytes.append(contentsOf: self.bytes) }
    public init(shuffleBytes: UnsafeRawBufferPointer) { self.init(shuffleBytes) }
}

extension String: RawBytesShuffleKey {
    public func appendShuffleBytes(to bytes: inout [UInt8]) { bytes.append(contentsOf: utf8) }
    public init(shuffleBytes: UnsafeRawBufferPointer) { self = String(decoding: shuffleBytes, as: UTF8.self) }
}

extension FixedWidthInteger where Self: ShuffleKey {
    fileprivate func appendOrdered(to bytes: inout [UInt8]) {
        let flipped: Self = Self.isSigned ? self ^ (1 << (Self.bitWidth - 1)) : self
        withUnsafeBytes(of: flipped.bigEndian) { bytes.append(contentsOf: $0) }
    }
    fileprivate init(ordered buffer: UnsafeRawBufferPointer) {
        precondition(buffer.count == MemoryLayout<Self>.size, "a \(Self.self) key must be \(MemoryLayout<Self>.size) bytes")
        let raw = Self(bigEndian: buffer.loadUnaligned(as: Self.self))
        self = Self.isSigned ? raw ^ (1 << (Self.bitWidth - 1)) : raw
    }
    public func appendOutputText(to bytes: inout [UInt8]) { bytes.append(contentsOf: String(self).utf8) }
}

extension Int: ShuffleKey {
    public func appendShuffleBytes(to bytes: inout [UInt8]) { appendOrdered(to: &bytes) }
    public init(shuffleBytes: UnsafeRawBufferPointer) { self.init(ordered: shuffleBytes) }
}

extension Int64: ShuffleKey {
    public func appendShuffleBytes(to bytes: inout [UInt8]) { appendOrdered(to: &bytes) }
    public init(shuffleBytes: UnsafeRawBufferPointer) { self.init(ordered: shuffleBytes) }
}

extension Int32: ShuffleKey {
    public func appendShuffleBytes(to bytes: inout [UInt8]) { appendOrdered(to: &bytes) }
    public init(shuffleBytes: UnsafeRawBufferPointer) { self.init(ordered: shuffleBytes) }
}

extension UInt64: ShuffleKey {
    public func appendShuffleBytes(to bytes: inout [UInt8]) { appendOrdered(to: &bytes) }
    public init(shuffleBytes: UnsafeRawBufferPointer) { self.init(ordered: shuffleBytes) }
}

extension UInt32: ShuffleKey {
    public func appendShuffleBytes(to bytes: inout [UInt8]) { appendOrdered(to: &bytes) }
    public init(shuffleBytes: UnsafeRawBufferPointer) { self.init(ordered: shuffleBytes) }
}
