/// One message on a Spindle connection: `u32 length (little-endian) | u8 kind | payload`,
/// where `length` counts the kind byte plus the payload, so it is at least 1.
package struct Frame: Sendable, Equatable {
    /// Bytes in a frame header: the 4-byte length and the kind byte.
    package static let headerSize = 5

    /// Largest payload a header can describe (`UInt32.max` minus the kind byte).
    package static let maxPayloadCount = Int(UInt32.max) - 1

    /// What the payload is; the meaning of each value is defined by the protocol layer.
    package var kind: UInt8
    /// The message body.
    package var payload: [UInt8]

    /// Creates a frame.
    package init(kind: UInt8, payload: [UInt8]) {
        self.kind = kind
        self.payload = payload
    }

    /// This frame's bytes on the wire.
    package var encoded: [UInt8] { Frame.encode(kind: kind, payload: payload) }

    /// The wire bytes of a frame with `kind` and `payload`. Traps if the payload exceeds `maxPayloadCount`.
    package static func encode(kind: UInt8, payload: some Collection<UInt8>) -> [UInt8] {
        let payloadCount = payload.count
        var bytes: [UInt8] = []
        bytes.reserveCapacity(headerSize + payloadCount)
        appendHeader(kind: kind, payloadCount: payloadCount, to: &bytes)
        bytes.append(contentsOf: payload)
        return bytes
    }

    /// Appends the 5 header bytes for a frame whose payload of `payloadCount` bytes the caller appends next.
    /// Traps if `payloadCount` is negative or exceeds `maxPayloadCount`.
    package static func appendHeader(kind: UInt8, payloadCount: Int, to buffer: inout [UInt8]) {
        precondition(payloadCount >= 0 && payloadCount <= maxPayloadCount, "Frame payload size \(payloadCount) out of range")
        let length = UInt32(payloadCount + 1)
        buffer.append(UInt8(truncatingIfNeeded: length))
        buffer.append(UInt8(truncatingIfNeeded: length >> 8))
        buffer.append(UInt8(truncatingIfNeeded: length >> 16))
        buffer.append(UInt8(truncatingIfNeeded: length >> 24))
        buffer.append(kind)
    }
}
