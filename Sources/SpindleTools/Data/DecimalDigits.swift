/// Hand-rolled decimal formatting of unsigned integers into byte buffers.
enum DecimalDigits {
    /// "00", "01", ..., "99" back to back.
    static let pairs: [UInt8] = {
        var bytes: [UInt8] = []
        for n in UInt8(0)..<100 {
            bytes.append(48 + n / 10)
            bytes.append(48 + n % 10)
        }
        return bytes
    }()

    /// Writes `value` in decimal at `out` (room for 20 bytes) and returns the number of bytes written.
    @inline(__always)
    static func write(_ value: UInt64, to out: UnsafeMutablePointer<UInt8>, pairs: UnsafeBufferPointer<UInt8>) -> Int {
        var digits = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        var v = value
        var end = digits
        while v >= 100 {
            let pair = Int(v % 100) * 2
            v /= 100
            out[end - 1] = pairs[pair + 1]
            out[end - 2] = pairs[pair]
            end -= 2
        }
        if v >= 10 {
            out[end - 1] = pairs[Int(v) * 2 + 1]
            out[end - 2] = pairs[Int(v) * 2]
        } else {
            out[end - 1] = UInt8(48 + v)
        }
        return digits
    }
}
