import Testing
import SpindleCore

@Suite struct HMACSHA256Tests {
    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var s = ""
        for b in bytes { s.append(digits[Int(b >> 4)]); s.append(digits[Int(b & 15)]) }
        return s
    }

    private static func code(_ message: [UInt8], _ key: [UInt8]) -> String {
        hex(HMACSHA256.authenticationCode(for: message, key: key))
    }

    @Test func rfc4231Case1() {
        #expect(Self.code(Array("Hi There".utf8), [UInt8](repeating: 0x0b, count: 20))
            == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    @Test func rfc4231Case2ShortKey() {
        #expect(Self.code(Array("what do ya want for nothing?".utf8), Array("Jefe".utf8))
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func rfc4231Case3() {
        #expect(Self.code([UInt8](repeating: 0xdd, count: 50), [UInt8](repeating: 0xaa, count: 20))
            == "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe")
    }

    @Test func rfc4231Case4() {
        #expect(Self.code([UInt8](repeating: 0xcd, count: 50), Array(1...25))
            == "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b")
    }

    @Test func rfc4231Case5TruncatedTo128Bits() {
        let full = HMACSHA256.authenticationCode(
            for: Array("Test With Truncation".utf8), key: [UInt8](repeating: 0x0c, count: 20))
        #expect(Self.hex(Array(full.prefix(16))) == "a3b6167473100ee06e0c796c2955552b")
    }

    @Test func rfc4231Case6LongKeyIsHashedFirst() {
        #expect(Self.code(Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
                          [UInt8](repeating: 0xaa, count: 131))
            == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func rfc4231Case7LongKeyAndLongMessage() {
        let message = "This is a test using a larger than block-size key and a larger than block-size data."
            + " The key needs to be hashed before being used by the HMAC algorithm."
        #expect(Self.code(Array(message.utf8), [UInt8](repeating: 0xaa, count: 131))
            == "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2")
    }

    @Test func longKeyEqualsItsDigestAsKey() {
        let key = [UInt8](repeating: 0x5a, count: 65)
        let message = Array("frame".utf8)
        #expect(HMACSHA256.authenticationCode(for: message, key: key)
            == HMACSHA256.authenticationCode(for: message, key: SHA256.hash(key)))
    }

    @Test func isValidAcceptsCorrectCodeAndRejectsTamperedOnes() {
        let key = Array("cluster secret".utf8)
        let message = Array("hello worker 3".utf8)
        let code = HMACSHA256.authenticationCode(for: message, key: key)
        #expect(HMACSHA256.isValid(code, for: message, key: key))
        for i in code.indices {
            var bad = code
            bad[i] ^= 0x01
            #expect(!HMACSHA256.isValid(bad, for: message, key: key))
        }
        #expect(!HMACSHA256.isValid(Array(code.prefix(31)), for: message, key: key))
        #expect(!HMACSHA256.isValid([], for: message, key: key))
        #expect(!HMACSHA256.isValid(code, for: Array("hello worker 4".utf8), key: key))
        #expect(!HMACSHA256.isValid(code, for: message, key: Array("cluster secreT".utf8)))
    }

    @Test func constantTimeEqualsComparesContentAndLength() {
        #expect(ConstantTime.equals([UInt8](), [UInt8]()))
        #expect(ConstantTime.equals([1, 2, 3] as [UInt8], [1, 2, 3] as [UInt8]))
        #expect(!ConstantTime.equals([1, 2, 3] as [UInt8], [1, 2, 4] as [UInt8]))
        #expect(!ConstantTime.equals([1, 2, 3] as [UInt8], [1, 2] as [UInt8]))
        #expect(ConstantTime.equals([9, 1, 2, 3][1...], [1, 2, 3] as [UInt8]))
    }
}
