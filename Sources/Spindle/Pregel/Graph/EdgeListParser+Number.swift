extension EdgeListParser {
    /// Exact powers of ten 1e0...1e22 (all representable in a Double).
    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// Parses `line[start..<end]` as a decimal floating-point number: `[+-] digits [. digits] [(e|E) [+-] digits]`
    /// with at least one mantissa digit (so no `inf`, `nan` or hex). Nil if the text does not have that form;
    /// the result may be infinite when the value is too large for a Double.
    ///
    /// Short numbers (up to 15 significant digits, decimal exponent within ±22) are converted exactly
    /// without allocating: one correctly rounded multiplication or division of two exact Doubles.
    /// Longer ones go through `Double(String)`.
    static func number(_ line: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Double? {
        var p = start
        var negative = false
        if line[p] == 0x2B || line[p] == 0x2D {
            negative = line[p] == 0x2D
            p += 1
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var truncated = false
        var anyDigit = false
        var scale = 0  // the value is mantissa * 10^(scale + exponent)
        while p < end, line[p] &- 0x30 <= 9 {
            let digit = UInt64(line[p] &- 0x30)
            anyDigit = true
            if mantissa != 0 || digit != 0 {
                if significant < 19 {
                    mantissa = mantissa * 10 + digit
                    significant += 1
                } else {
                    truncated = true
                    scale += 1
                }
            }
            p += 1
        }
        if p < end && line[p] == 0x2E {
            p += 1
            while p < end, line[p] &- 0x30 <= 9 {
                let digit = UInt64(line[p] &- 0x30)
                anyDigit = true
                if significant < 19 {
                    if mantissa != 0 || digit != 0 {
                        mantissa = mantissa * 10 + digit
                        significant += 1
                    }
                    scale -= 1
                } else {
                    truncated = true
                }
                p += 1
            }
        }
        guard anyDigit else { return nil }
        var exponent = 0
        if p < end && (line[p] == 0x65 || line[p] == 0x45) {
            p += 1
            var exponentNegative = false
            if p < end && (line[p] == 0x2B || line[p] == 0x2D) {
                exponentNegative = line[p] == 0x2D
                p += 1
            }
            let digitsStart = p
            while p < end, line[p] &- 0x30 <= 9 {
                if exponent < 1_000_000 { exponent = exponent * 10 + Int(line[p] &- 0x30) }
                p += 1
            }
            guard p > digitsStart else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        guard p == end else { return nil }
        if mantissa == 0 && !truncated { return negative ? -0.0 : 0.0 }
        let power = scale + exponent
        if !truncated && significant <= 15 && power >= -22 && power <= 22 {
            let m = Double(mantissa)
            let value = power < 0 ? m / powersOfTen[-power] : m * powersOfTen[power]
            return negative ? -value : value
        }
        return Double(String(decoding: UnsafeRawBufferPointer(rebasing: line[start..<end]), as: UTF8.self))
    }
}
