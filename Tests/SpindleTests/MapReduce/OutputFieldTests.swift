import Testing
@testable import Spindle

/// `OutputField`: what `output.write(key, fields...)` writes for each kind of value.
@Suite struct OutputFieldTests {
    private func text<F: OutputField>(_ field: F) -> String {
        var bytes: [UInt8] = []
        field.appendOutputField(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func integersAreWrittenInDecimalAsStringSpellsThem() {
        #expect(text(0) == "0")
        #expect(text(Int.min) == String(Int.min))
        #expect(text(Int.max) == String(Int.max))
        #expect(text(Int64.min) == "-9223372036854775808")
        #expect(text(UInt64.max) == "18446744073709551615")
        #expect(text(Int8.min) == "-128")
        #expect(text(UInt8(7)) == "7")
        #expect(text(Int16(-300)) == "-300")
        #expect(text(UInt16.max) == "65535")
        #expect(text(Int32.min) == "-2147483648")
        #expect(text(UInt32.max) == "4294967295")
        #expect(text(UInt(42)) == "42")
        var rng = SplitMix(seed: 5)
        for _ in 0..<10_000 {
            let n = Int64(bitPattern: rng.next())
            #expect(text(n) == String(n))
        }
    }

    @Test func textBoolAndUserTypesAreWrittenAsTheirText() {
        struct Celsius: CustomStringConvertible, OutputField {
            var degrees: Int
            var description: String { "\(degrees)°C" }
        }
        #expect(text("naïve") == "naïve")
        #expect(text("a b c".split(separator: " ")[1]) == "b")
        #expect(text(Character("ß")) == "ß")
        #expect(text(ByteString("bytes")) == "bytes")
        #expect(text(true) == "true")
        #expect(text(false) == "false")
        #expect(text(Celsius(degrees: -4)) == "-4°C")
    }

    @Test func doublesReadBackBitForBit() {
        var rng = SplitMix(seed: 17)
        var values: [Double] = [
            0, -0.0, 0.1, 1e-7, 1e16, 1.0 / 3, .pi, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude, .ulpOfOne,
        ]
        for _ in 0..<100_000 { values.append(Double(bitPattern: rng.next())) }
        for _ in 0..<10_000 { values.append(Double.random(in: -1e6...1e6, using: &rng)) }
        for value in values {
            let written = text(value)
            guard let back = Double(written) else {
                Issue.record("'\(written)' does not parse as a Double")
                continue
            }
            if value.isNaN {
                #expect(back.isNaN, "NaN wrote '\(written)'")
            } else {
                #expect(back.bitPattern == value.bitPattern, "\(value.bitPattern) wrote '\(written)' which reads back as \(back.bitPattern)")
            }
        }
        #expect(text(0.1) == "0.1")
        #expect(text(-0.0) == "-0.0")
    }

    @Test func floatsReadBackBitForBit() {
        var rng = SplitMix(seed: 23)
        for _ in 0..<100_000 {
            let value = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))
            let written = text(value)
            guard let back = Float(written) else {
                Issue.record("'\(written)' does not parse as a Float")
                continue
            }
            #expect(value.isNaN ? back.isNaN : back.bitPattern == value.bitPattern, "\(value.bitPattern) wrote '\(written)'")
        }
        #expect(text(Float(0.1)) == "0.1")
    }
}
