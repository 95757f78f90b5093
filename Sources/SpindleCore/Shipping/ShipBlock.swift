/// The payload of a `shipBlock` frame: a 4-byte little-endian CRC32C of the data, then the data (at most
/// ``maxData`` bytes). Every shipped byte is checked on arrival.
package enum ShipBlock {
    /// Data bytes per block at most (the frame stays far below the frame limit).
    package static let maxData = 1 << 20
    package static let headerSize = 4

    /// The header to send before `data`.
    package static func header(for data: UnsafeRawBufferPointer) -> [UInt8] {
        let crc = CRC32C.checksum(data)
        return [
            UInt8(truncatingIfNeeded: crc), UInt8(truncatingIfNeeded: crc >> 8), UInt8(truncatingIfNeeded: crc >> 16),
            UInt8(truncatingIfNeeded: crc >> 24),
        ]
    }

    /// The data of a received block payload, once its checksum matched.
    /// - Throws: ``ShipBlockError`` for a payload too short or too long, or whose checksum does not match.
    package static func data(of payload: UnsafeRawBufferPointer) throws(ShipBlockError) -> UnsafeRawBufferPointer {
        guard payload.count >= headerSize else { throw .truncated(payload.count) }
        let data = UnsafeRawBufferPointer(rebasing: payload[headerSize...])
        guard data.count <= maxData else { throw .oversized(data.count) }
        let expected = UInt32(payload[0]) | UInt32(payload[1]) << 8 | UInt32(payload[2]) << 16 | UInt32(payload[3]) << 24
        let actual = CRC32C.checksum(data)
        guard actual == expected else { throw .checksumMismatch(expected: expected, actual: actual) }
        return data
    }
}

/// A shipped block was damaged.
package enum ShipBlockError: Error, Equatable, CustomStringConvertible {
    /// The payload was shorter than its header.
    case truncated(Int)
    /// The block held more than ``ShipBlock/maxData`` bytes.
    case oversized(Int)
    /// The data's CRC32C differs from the one sent.
    case checksumMismatch(expected: UInt32, actual: UInt32)

    package var description: String {
        switch self {
        case .truncated(let n): "a shipped block of \(n) bytes is shorter than its header"
        case .oversized(let n): "a shipped block holds \(n) bytes, more than \(ShipBlock.maxData)"
        case .checksumMismatch(let e, let a): "a shipped block's CRC32C is \(a), the sender's was \(e): the bytes were damaged in transit"
        }
    }
}
