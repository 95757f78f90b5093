import Testing
import SpindleCore

@Suite struct SHA256Tests {
    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var s = ""
        for b in bytes { s.append(digits[Int(b >> 4)]); s.append(digits[Int(b & 15)]) }
        return s
    }

    private static func hashHex(_ text: String) -> String { hex(SHA256.hash(Array(text.utf8))) }

    /// Bytes 0, 1, 2, ... (mod 256) of the given length.
    private static func pattern(_ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: $0) } }

    @Test func abcMatchesFIPSExample() {
        #expect(Self.hashHex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func twoBlockMessageMatchesFIPSExample() {
        #expect(Self.hashHex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func emptyMessageMatchesKnownDigest() {
        #expect(Self.hashHex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        var hasher = SHA256()
        hasher.update([UInt8]())
        #expect(Self.hex(hasher.finalize()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func oneMillionAsFedInUnevenChunks() {
        let chunkSizes = [1, 7, 63, 64, 65, 129, 1000, 3, 4096, 55, 56, 0, 17]
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 4096)
        var hasher = SHA256()
        var fed = 0
        var i = 0
        while fed < 1_000_000 {
            let n = min(chunkSizes[i % chunkSizes.count], 1_000_000 - fed)
            hasher.update(chunk[0..<n])
            fed += n
            i += 1
        }
        #expect(Self.hex(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test(arguments: [
        (55, "463eb28e72f82e0a96c0a4cc53690c571281131f672aa229e0d45ae59b598b59"),
        (56, "da2ae4d6b36748f2a318f23e7ab1dfdf45acdc9d049bd80e59de82a60895f562"),
        (63, "29af2686fd53374a36b0846694cc342177e428d1647515f078784d69cdb9e488"),
        (64, "fdeab9acf3710362bd2658cdc9a29e8f9c757fcf9811603a8c447cd1d9151108"),
        (65, "4bfd2c8b6f1eec7a2afeb48b934ee4b2694182027e6d0fc075074f2fabb31781"),
        (119, "da18797ed7c3a777f0847f429724a2d8cd5138e6ed2895c3fa1a6d39d18f7ec6"),
        (120, "f52b23db1fbb6ded89ef42a23ce0c8922c45f25c50b568a93bf1c075420bbb7c"),
    ])
    func paddingBoundaryLengthsAgreeOneShotAndChunked(length: Int, expected: String) {
        let message = Self.pattern(length)
        let oneShot = SHA256.hash(message)
        #expect(Self.hex(oneShot) == expected)
        for split in 0...length {
            var hasher = SHA256()
            hasher.update(message[0..<split])
            hasher.update(message[split...])
            #expect(hasher.finalize() == oneShot, "split at \(split)")
        }
        var bytewise = SHA256()
        for b in message { bytewise.update(CollectionOfOne(b)) }
        #expect(bytewise.finalize() == oneShot)
    }

    @Test func rawBufferAndNonContiguousCollectionsMatchArray() {
        let message = Self.pattern(300)
        let expected = SHA256.hash(message)
        var raw = SHA256()
        message.withUnsafeBytes { raw.update($0) }
        #expect(raw.finalize() == expected)
        #expect(SHA256.hash(message.lazy.map { $0 }) == expected)
        #expect(SHA256.hash((0..<300).lazy.map { UInt8(truncatingIfNeeded: $0) }) == expected)
    }

    @Test func finalizeResetsTheHasher() {
        var hasher = SHA256()
        hasher.update(Array("some earlier message".utf8))
        #expect(hasher.finalize().count == 32)
        hasher.update(Array("abc".utf8))
        #expect(Self.hex(hasher.finalize()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func digestIsAlways32Bytes() {
        for n in [0, 1, 64, 1000] {
            #expect(SHA256.hash(Self.pattern(n)).count == SHA256.digestSize)
        }
    }
}
