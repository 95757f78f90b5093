import SpindleCore

/// A value that `output.write(key, fields...)` can write as one field of an output line: it appends its
/// text form (before escaping; the writer escapes tabs, newlines and backslashes).
///
/// Conformances: `String`, `Substring`, `Character`, `ByteString` (their bytes), every standard integer type
/// (decimal), `Bool` (`true` / `false`), and `Double` and `Float` in their shortest form that reads back
/// exactly: `Double(text)` (or `Float(text)`) of a written field is bit for bit the value written
/// (`0.1`, `1e-07`, `-0.0`, `inf`, `nan`; a NaN's payload is not kept).
///
/// Your own type conforms by implementing ``appendOutputField(to:)``, or, if it is
/// `CustomStringConvertible`, by declaring `extension MyType: OutputField {}` to write its `description`.
public protocol OutputField {
    /// Appends the field's text as UTF-8, unescaped.
    func appendOutputField(to bytes: inout [UInt8])
}

extension OutputField where Self: CustomStringConvertible {
    /// Appends `description`.
    public func appendOutputField(to bytes: inout [UInt8]) { bytes.append(contentsOf: description.utf8) }
}

extension String: OutputField {
    public func appendOutputField(to bytes: inout [UInt8]) { bytes.append(contentsOf: utf8) }
}

extension Substring: OutputField {
    public func appendOutputField(to bytes: inout [UInt8]) { bytes.append(contentsOf: utf8) }
}

extension Character: OutputField {
    public func appendOutputField(to bytes: inout [UInt8]) { bytes.append(contentsOf: utf8) }
}

extension ByteString: OutputField {
    public func appendOutputField(to bytes: inout [UInt8]) { bytes.append(contentsOf: self.bytes) }
}

extension Bool: OutputField {
    public func appendOutputField(to bytes: inout [UInt8]) { bytes.append(contentsOf: (self ? "true" : "false").utf8) }
}

extension Double: OutputField {
    /// Appends `description`: the shortest decimal that parses back to this exact value.
    public func appendOutputField(to bytes: inout [UInt8]) { bytes.append(contentsOf: description.utf8) }
}

extension Float: OutputField {
    /// Appends `description`: the shortest decimal that parses back (as `Float`) to this exact value.
    public func appendOutputField(to bytes: inout [UInt8]) { bytes.append(contentsOf: description.utf8) }
}

extension OutputField where Self: FixedWidthInteger {
    /// Appends the decimal digits, as `String(self)` spells them, without building a `String`.
    public func appendOutputField(to bytes: inout [UInt8]) { DecimalDigits.append(self, to: &bytes) }
}

extension Int: OutputField {}
extension Int8: OutputField {}
extension Int16: OutputField {}
extension Int32: OutputField {}
extension Int64: OutputField {}
extension UInt: OutputField {}
extension UInt8: OutputField {}
extension UInt16: OutputField {}
extension UInt32: OutputField {}
extension UInt64: OutputField {}

/// Decimal text of integers written straight into a byte buffer, as `String(n)` spells it.
enum DecimalDigits {
    /// Appends the digits of `n`, with a minus sign when negative.
    @inline(__always)
    static func append<T: FixedWidthInteger>(_ n: T, to bytes: inout [UInt8]) {
        if n < 0 { bytes.append(0x2D) }
        var magnitude = n.magnitude
        let start = bytes.count
        repeat {
            bytes.append(0x30 + UInt8(truncatingIfNeeded: magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[start...].reverse()
    }
}
