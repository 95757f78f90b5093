/// Decodes a whole journal file into its intact records and what, if anything, ended it early.
package enum JournalDecoder {
    /// What the decoder found.
    package struct Contents: Sendable, Equatable {
        /// The records before the first damaged or incomplete one, in order.
        package var records: [JournalRecord]
        /// Why decoding stopped before the end of the bytes (one clause, naming the byte offset), or nil.
        package var damagedTail: String?
        /// Bytes of intact records (with the header): where the next record goes.
        package var intactLength: Int
    }

    /// Thrown when the bytes are not a journal at all (wrong header).
    package struct NotAJournal: Error, CustomStringConvertible {
        package var description: String { "it does not start with the journal header 'SPINDLEJ'" }
    }

    /// Decodes `bytes`. A record cut short, with a length beyond ``JournalFraming/maxRecordBytes``, a CRC that
    /// does not match, or a payload that does not decode ends the records there; what follows is ignored.
    /// - Throws: ``NotAJournal`` when the header is missing or wrong (an empty file is a journal with no record).
    package static func decode(_ bytes: [UInt8]) throws -> Contents {
        let headerCount = JournalFraming.header.count
        if bytes.isEmpty { return Contents(records: [], damagedTail: nil, intactLength: 0) }
        guard bytes.count >= headerCount, Array(bytes[0..<headerCount]) == JournalFraming.header else { throw NotAJournal() }
        var records: [JournalRecord] = []
        var offset = headerCount
        while offset < bytes.count {
            func damaged(_ why: String) -> Contents {
                Contents(records: records, damagedTail: "record \(records.count + 1) at byte \(offset) \(why)", intactLength: offset)
            }
            guard bytes.count - offset >= JournalFraming.recordHeaderBytes else { return damaged("is cut short in its header") }
            let length = Int(littleEndian32(bytes, offset))
            let checksum = littleEndian32(bytes, offset + 4)
            guard length <= JournalFraming.maxRecordBytes else { return damaged("claims \(length) bytes") }
            let start = offset + JournalFraming.recordHeaderBytes
            guard bytes.count - start >= length else { return damaged("is cut short (\(bytes.count - start) of \(length) bytes)") }
            let payload = Array(bytes[start..<start + length])
            guard CRC32C.checksum(payload) == checksum else { return damaged("fails its CRC32C check") }
            guard let record = try? WireReader.decode(JournalRecord.self, from: payload) else { return damaged("does not decode") }
            records.append(record)
            offset = start + length
        }
        return Contents(records: records, damagedTail: nil, intactLength: offset)
    }

    private static func littleEndian32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }
}
