/// The header of a gzip member (RFC 1952 2.3): magic bytes 1f 8b, method 8 (deflate), flags, and the
/// optional extra field, file name, comment and header CRC, which are skipped (the CRC is checked).
package enum GzipHeader {
    /// The largest header accepted: the extra field (up to 64 KiB) plus a name and a comment of reasonable
    /// length. A longer one is refused rather than buffered without bound.
    package static let maxLength = 256 << 10

    static let textFlag: UInt8 = 1 << 0
    static let headerCRCFlag: UInt8 = 1 << 1
    static let extraFlag: UInt8 = 1 << 2
    static let nameFlag: UInt8 = 1 << 3
    static let commentFlag: UInt8 = 1 << 4

    /// Whether `bytes` start like a gzip member (the two magic bytes).
    package static func hasMagic(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// The length of the header at the start of `bytes`, or nil when `bytes` end inside it (and are shorter
    /// than ``maxLength``).
    /// - Throws: the reason the bytes are not a gzip header ("the byte is 50 where a gzip member has 1f"), with the
    ///   offset of the offending byte within `bytes`.
    package static func parse(_ bytes: UnsafeRawBufferPointer) throws(InflateError) -> Int? {
        let count = min(bytes.count, maxLength)
        func needMore() throws(InflateError) -> Int? {
            if bytes.count >= maxLength {
                throw .corrupt("the gzip header is longer than \(maxLength >> 10) KiB", at: 0)
            }
            return nil
        }
        for (index, magic) in [UInt8(0x1F), 0x8B].enumerated() where count > index && bytes[index] != magic {
            throw .corrupt("the byte is \(String(bytes[index], radix: 16)) where a gzip member has \(String(magic, radix: 16)) (not a gzip file)", at: index)
        }
        guard count >= 10 else { return try needMore() }
        guard bytes[2] == 8 else { throw .corrupt("the compression method is \(bytes[2]), not 8 (deflate)", at: 2) }
        let flags = bytes[3]
        guard flags & 0xE0 == 0 else { throw .corrupt("reserved header flags are set (\(flags))", at: 3) }
        var position = 10
        if flags & extraFlag != 0 {
            guard count >= position + 2 else { return try needMore() }
            position += 2 + (Int(bytes[position]) | Int(bytes[position + 1]) << 8)
        }
        for flag in [nameFlag, commentFlag] where flags & flag != 0 {
            // A zero-terminated string.
            while true {
                guard position < count else { return try needMore() }
                position += 1
                if bytes[position - 1] == 0 { break }
            }
        }
        if flags & headerCRCFlag != 0 {
            guard count >= position + 2 else { return try needMore() }
            var crc = CRC32()
            crc.update(UnsafeRawBufferPointer(rebasing: bytes[0..<position]))
            let stored = UInt32(bytes[position]) | UInt32(bytes[position + 1]) << 8
            guard stored == crc.value & 0xFFFF else {
                throw .corrupt("the header CRC is \(stored), but the header's bytes give \(crc.value & 0xFFFF)", at: position)
            }
            position += 2
        }
        guard count >= position else { return try needMore() }
        return position
    }
}
