@_spi(Fuzzing) import Spindle
import FuzzSupport

/// The edge-list parser against the standard library's number parsing. Input: one line (any bytes).
///
/// Invariants: `parse` and `problem` agree on whether the line is malformed; an accepted edge's ids are what
/// `Int64(String)` reads from the first two fields and its weight is bit for bit what `Double(String)` reads
/// from the third (so the fast path rounds correctly); a line of 2 or 3 well-formed fields is never refused;
/// the weight parser alone agrees with `Double(String)` on every decimal text; and `lineNumber(of:in:)`
/// counts the newlines before every offset.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEdgeListParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let line = FuzzInput(data, size).rest
    Array(line).withUnsafeBytes { raw in
        let parsed = FuzzEntryPoints.parseEdgeLine(raw)
        let problem = FuzzEntryPoints.edgeLineProblem(raw)
        require((parsed == .malformed) == (problem != "no problem"), "parse says \(parsed), problem says \(problem)")

        let fields = splitFields(Array(line))
        let expected = reference(fields)
        switch (parsed, expected) {
        case (.skip, .skip), (.malformed, .malformed):
            break
        case let (.edge(s, t, w), .edge(rs, rt, rw)):
            require(s == rs && t == rt, "edge \(s) -> \(t), the reference reads \(rs) -> \(rt)")
            require(w?.bitPattern == rw?.bitPattern, "weight \(String(describing: w)), the reference reads \(String(describing: rw))")
        default:
            require(false, "parse gives \(parsed), the reference \(expected) for fields \(fields.map { String(decoding: $0, as: UTF8.self) })")
        }

        // The weight parser on the whole line, whenever it has the decimal form.
        if !raw.isEmpty {
            let number = FuzzEntryPoints.parseEdgeWeight(raw, from: 0, to: raw.count)
            let reference = isDecimal(Array(line)) ? Double(String(decoding: raw, as: UTF8.self)) : nil
            require(number?.bitPattern == reference?.bitPattern, "number() reads \(String(describing: number)), Double(String) \(String(describing: reference))")
        }

        var newlines = 0
        for offset in 0...raw.count {
            let number = FuzzEntryPoints.edgeLineNumber(of: offset, in: raw)
            require(number == newlines + 1, "lineNumber(of: \(offset)) = \(number), expected \(newlines + 1)")
            if offset < raw.count, raw[offset] == 0x0A { newlines += 1 }
        }
    }
    return 0
}

/// The fields of a line: one trailing `\r` dropped, split at spaces and tabs.
private func splitFields(_ line: [UInt8]) -> [[UInt8]] {
    var content = line[...]
    if content.last == 0x0D { content = content.dropLast() }
    return content.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 }).map(Array.init)
}

/// What the line means, read with the standard library.
private func reference(_ fields: [[UInt8]]) -> FuzzEntryPoints.EdgeLineResult {
    if fields.isEmpty || fields[0].first == 0x23 { return .skip }
    guard fields.count == 2 || fields.count == 3,
        let source = integer(fields[0]), let target = integer(fields[1])
    else { return .malformed }
    guard fields.count == 3 else { return .edge(source: source, target: target, weight: nil) }
    guard isDecimal(fields[2]), let weight = Double(String(decoding: fields[2], as: UTF8.self)), weight.isFinite else { return .malformed }
    return .edge(source: source, target: target, weight: weight)
}

/// An optional sign and decimal digits only, within Int64.
private func integer(_ field: [UInt8]) -> Int64? {
    let digits = field.first == 0x2B || field.first == 0x2D ? field.dropFirst() : field[...]
    guard !digits.isEmpty, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    return Int64(String(decoding: field, as: UTF8.self))
}

/// `[+-] digits [. digits] [(e|E) [+-] digits]` with at least one mantissa digit.
private func isDecimal(_ text: [UInt8]) -> Bool {
    var i = 0
    func digits() -> Int {
        let start = i
        while i < text.count, text[i] >= 0x30, text[i] <= 0x39 { i += 1 }
        return i - start
    }
    if i < text.count, text[i] == 0x2B || text[i] == 0x2D { i += 1 }
    var mantissa = digits()
    if i < text.count, text[i] == 0x2E {
        i += 1
        mantissa += digits()
    }
    guard mantissa > 0 else { return false }
    if i < text.count, text[i] == 0x65 || text[i] == 0x45 {
        i += 1
        if i < text.count, text[i] == 0x2B || text[i] == 0x2D { i += 1 }
        guard digits() > 0 else { return false }
    }
    return i == text.count
}

/// The process entry point (SwiftPM links `main` to `<Target>_main`): libFuzzer's driver with this target.
@_cdecl("FuzzEdgeListParser_main")
func fuzzEdgeListParserMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzEdgeListParser)
}
