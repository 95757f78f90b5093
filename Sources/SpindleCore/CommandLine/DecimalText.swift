/// Shared scanning for unsigned decimal numbers with units, as in `1.5GiB` or `250ms`.
enum DecimalText {
    /// A scanned number: its integer digits, its fraction digits (possibly empty), and the text after it.
    struct Scan {
        var whole: Substring
        var fraction: Substring
        var rest: Substring
    }

    /// Scans a leading `digits[.digits]`; nil when `text` does not start with a digit or a `.` has no digits after it.
    static func scan(_ text: Substring) -> Scan? {
        var index = text.startIndex
        while index < text.endIndex, isDigit(text[index]) { index = text.index(after: index) }
        let whole = text[text.startIndex..<index]
        guard !whole.isEmpty else { return nil }
        guard index < text.endIndex, text[index] == "." else {
            return Scan(whole: whole, fraction: "", rest: text[index...])
        }
        let fractionStart = text.index(after: index)
        index = fractionStart
        while index < text.endIndex, isDigit(text[index]) { index = text.index(after: index) }
        let fraction = text[fractionStart..<index]
        guard !fraction.isEmpty else { return nil }
        return Scan(whole: whole, fraction: fraction, rest: text[index...])
    }

    /// `floor(whole.fraction × multiplier)` computed exactly; nil on overflow or more than 18 fraction digits.
    static func scaled(_ scan: Scan, by multiplier: Int) -> Int? {
        guard let whole = integer(scan.whole), scan.fraction.count <= 18,
              let fraction = integer(scan.fraction) else { return nil }
        let (product, overflow) = whole.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { return nil }
        guard !scan.fraction.isEmpty else { return product }
        var denominator = 1
        for _ in 0..<scan.fraction.count { denominator *= 10 }
        // fraction < denominator, so the quotient is below `multiplier` and cannot overflow.
        let wide = multiplier.multipliedFullWidth(by: fraction)
        let part = denominator.dividingFullWidth(wide).quotient
        let (sum, sumOverflow) = product.addingReportingOverflow(part)
        return sumOverflow ? nil : sum
    }

    /// The text without leading and trailing spaces and tabs.
    static func trimmed(_ text: Substring) -> Substring {
        var text = text
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }

    /// True for the ASCII digits 0-9 only.
    static func isDigit(_ character: Character) -> Bool {
        character >= "0" && character <= "9" && character.isASCII
    }

    /// Decimal digits to an `Int`; nil on overflow. An empty string is 0.
    private static func integer(_ digits: Substring) -> Int? {
        var value = 0
        for character in digits {
            guard let digit = character.wholeNumberValue else { return nil }
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = shifted.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            value = next
        }
        return value
    }
}
