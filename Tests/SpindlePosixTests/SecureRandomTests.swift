import Testing
@testable import SpindlePosix

@Suite struct SecureRandomTests {
    @Test func twoDrawsOfThirtyTwoBytesDiffer() {
        let a = SecureRandom.bytes(32)
        let b = SecureRandom.bytes(32)
        #expect(a.count == 32 && b.count == 32)
        #expect(a != b)
        #expect(a != [UInt8](repeating: 0, count: 32))
    }

    @Test func zeroBytesGivesEmptyArray() {
        #expect(SecureRandom.bytes(0).isEmpty)
    }

    @Test func largeDrawUsesManyByteValues() {
        let bytes = SecureRandom.bytes(1 << 16)
        #expect(Set(bytes).count == 256)
    }
}
