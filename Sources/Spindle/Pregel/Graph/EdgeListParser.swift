/// Parses SNAP-style edge-list lines straight from bytes: `src dst [weight]` separated by spaces or tabs,
/// `#` comments and blank lines skipped. The hot path (`parse`) allocates nothing; `problem` and
/// `lineNumber` are for error messages only.
enum EdgeListParser {
    private static let space: UInt8 = 0x20
    private static let tab: UInt8 = 0x09
    private static let carriageReturn: UInt8 = 0x0D
    private static let newline: UInt8 = 0x0A
    private static let hash: UInt8 = 0x23
    private static let plus: UInt8 = 0x2B
    private static let minus: UInt8 = 0x2D
    private static let dot: UInt8 = 0x2E
    private static let zero: UInt8 = 0x30

    /// Parses one line (without its `\n`; a trailing `\r` is ignored). Returns `.skip` for a blank or comment
    /// line, `.edge` for `src dst [weight]`, and nil when the line is malformed (`problem` says why).
    static func parse(_ line: UnsafeRawBufferPointer) -> EdgeLine? {
        let end = contentEnd(line)
        var i = skipBlanks(line, from: 0, to: end)
        if i == end || line[i] == hash { return .skip }
        guard let source = integer(line, at: &i, to: end) else { return nil }
        i = skipBlanks(line, from: i, to: end)
        guard i < end, let target = integer(line, at: &i, to: end) else { return nil }
        i = skipBlanks(line, from: i, to: end)
        if i == end { return .edge(source: source, target: target, weight: nil) }
        let weightStart = i
        let weightEnd = skipField(line, from: i, to: end)
        guard skipBlanks(line, from: weightEnd, to: end) == end,
            let weight = number(line, from: weightStart, to: weightEnd), weight.isFinite
        else { return nil }
        return .edge(source: source, target: target, weight: weight)
    }

    /// A short reason why `parse` rejects `line`, such as "expected 2 or 3 fields, found 4",
    /// "'12x' is not an integer" or "weight 'abc' is not a number"; "no problem" if `parse` accepts it.
    static func problem(_ line: UnsafeRawBufferPointer) -> String {
        let end = contentEnd(line)
        var fields: [Range<Int>] = []
        var i = skipBlanks(line, from: 0, to: end)
        while i < end {
            let start = i
            i = skipField(line, from: i, to: end)
            fields.append(start..<i)
            i = skipBlanks(line, from: i, to: end)
        }
        if fields.isEmpty || line[fields[0].lowerBound] == hash { return "no problem" }
        guard fields.count == 2 || fields.count == 3 else { return "expected 2 or 3 fields, found \(fields.count)" }
        for field in fields.prefix(2) {
            var j = field.lowerBound
            if integer(line, at: &j, to: field.upperBound) == nil {
                let text = quoted(line, field)
                return isDigitString(line, field) ? "\(text) is out of range for a 64-bit integer" : "\(text) is not an integer"
            }
        }
        if fields.count == 3 {
            let field = fields[2]
            guard let weight = number(line, from: field.lowerBound, to: field.upperBound) else {
                return "weight \(quoted(line, field)) is not a number"
            }
            if !weight.isFinite { return "weight \(quoted(line, field)) is out of range" }
        }
        return "no problem"
    }

    /// The 1-based line number of byte `offset` in `file`: 1 + the number of `\n` bytes before it, counted
    /// 8 bytes at a time. An offset outside the file is clamped to it.
    static func lineNumber(of offset: Int, in file: UnsafeRawBufferPointer) -> Int {
        let limit = min(max(offset, 0), file.count)
        guard limit > 0, let base = file.baseAddress else { return 1 }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let pattern = ones &* UInt64(newline)
        let low7 = ones &* 0x7F
        let high = ones &* 0x80
        var count = 0
        var i = 0
        while i + 8 <= limit {
            // Bytes equal to '\n' become zero; a byte's high bit ends up set iff it is non-zero (no carries across bytes).
            let x = base.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ pattern
            let nonZero = (((x & low7) &+ low7) | x) & high
            count &+= 8 &- nonZero.nonzeroBitCount
            i &+= 8
        }
        while i < limit {
            if base.load(fromByteOffset: i, as: UInt8.self) == newline { count &+= 1 }
            i &+= 1
        }
        return count + 1
    }

    // MARK: - Scanning

    /// The end of the line's content: its length, less one for a trailing `\r`.
    @inline(__always)
    private static func contentEnd(_ line: UnsafeRawBufferPointer) -> Int {
        let n = line.count
        return n > 0 && line[n - 1] == carriageReturn ? n - 1 : n
    }

    @inline(__always)
    private static func isBlank(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    @inline(__always)
    private static func skipBlanks(_ line: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int {
        var i = start
        while i < end && isBlank(line[i]) { i &+= 1 }
        return i
    }

    @inline(__always)
    private static func skipField(_ line: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int {
        var i = start
        while i < end && !isBlank(line[i]) { i &+= 1 }
        return i
    }

    /// Parses a decimal Int64 (optional sign) at `i`, which must run to `end` or a blank; advances `i` past it.
    /// Nil for no digits, a stray byte, or a value outside Int64.
    @inline(__always)
    private static func integer(_ line: UnsafeRawBufferPointer, at i: inout Int, to end: Int) -> Int64? {
        var p = i
        var negative = false
        let first = line[p]
        if first == minus || first == plus {
            negative = first == minus
            p &+= 1
        }
        let digitsStart = p
        while p < end && line[p] == zero { p &+= 1 }
        let significantStart = p
        var value: UInt64 = 0
        while p < end {
            let digit = line[p] &- zero
            if digit > 9 { break }
            value = value &* 10 &+ UInt64(digit)
            p &+= 1
        }
        guard p > digitsStart, p == end || isBlank(line[p]) else { return nil }
        let significant = p &- significantStart
        if significant >= 19 {
            // 19 digits cannot wrap a UInt64 (< 1.9e19); 20 or more are out of range for Int64 anyway.
            guard significant == 19, value <= (negative ? 1 << 63 : UInt64(Int64.max)) else { return nil }
        }
        i = p
        return negative ? Int64(bitPattern: 0 &- value) : Int64(bitPattern: value)
    }

    /// True if the field is an optional sign followed by one or more digits.
    private static func isDigitString(_ line: UnsafeRawBufferPointer, _ field: Range<Int>) -> Bool {
        var p = field.lowerBound
        if line[p] == minus || line[p] == plus { p += 1 }
        guard p < field.upperBound else { return false }
        return (p..<field.upperBound).allSatisfy { line[$0] &- zero <= 9 }
    }

    /// The field's text in single quotes, cut to 40 bytes.
    private static func quoted(_ line: UnsafeRawBufferPointer, _ field: Range<Int>) -> String {
        let cut = field.count > 40 ? field.lowerBound..<(field.lowerBound + 40) : field
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: line[cut]), as: UTF8.self)
        return "'\(text)\(cut == field ? "" : "…")'"
    }
}
