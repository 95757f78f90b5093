/// The journal file's layout: an 8-byte header (`SPINDLEJ`), then records, each `u32 length | u32 CRC32C of
/// the payload | payload` (little-endian; the payload is a ``JournalRecord`` in the wire format). A record is
/// appended whole and fsynced before the decision it records takes effect, so only the last record can be
/// torn by a crash: ``JournalDecoder`` stops there and reports it.
package enum JournalFraming {
    /// The first bytes of every journal.
    package static let header: [UInt8] = Array("SPINDLEJ".utf8)
    /// No record is longer (a bigger length is corruption, not a record to allocate for).
    package static let maxRecordBytes = 64 << 20
    /// Bytes before each payload.
    package static let recordHeaderBytes = 8

    /// The framed bytes of `record`, ready to append.
    package static func frame(_ record: JournalRecord) -> [UInt8] {
        let payload = record.wireEncoded()
        var w = WireWriter(reservingCapacity: payload.count + recordHeaderBytes)
        w.writeFixed(UInt32(payload.count))
        w.writeFixed(CRC32C.checksum(payload))
        w.writeRaw(payload)
        return w.bytes
    }
}
