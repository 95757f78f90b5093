import Spindle
import SpindlePosix

/// Writes deterministic English-like ASCII text for `spindle generate text`.
///
/// Words come from a 50,000-word ``TextVocabulary`` with Zipf(1) frequencies; lines hold 5 to 20
/// words separated by single spaces (about 70 bytes on average); sentences of 4 to 30 words start
/// with a capital letter and end with "."; about one word in sixteen is followed by ",". The same
/// seed always gives the same bytes.
enum TextGenerator {
    /// The number of distinct words in the vocabulary.
    static let vocabularySize = 50_000

    /// Creates or replaces `path` with exactly `size` bytes of text from `seed`. The last line may
    /// be cut short, but the file ends with "\n" whenever `size` > 0. The file appears whole or not at
    /// all (``FileReplacement``): on any failure nothing is left behind and an existing file is kept.
    static func write(to path: String, size: Int, seed: UInt64) throws {
        precondition(size >= 0, "TextGenerator: negative size")
        try FileReplacement.write(path) { writer in
            var generator = Lines(seed: seed)
            let chunkSize = 4 << 20
            let slack = 4096  // more than any line (20 words of at most ~30 bytes)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize + slack, alignment: 16)
            defer { buffer.deallocate() }
            let out = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var remaining = size
            while remaining > 0 {
                let limit = min(chunkSize, remaining)
                var used = 0
                while used < limit { used = generator.appendLine(to: out, at: used) }
                let take = min(used, remaining)
                if take == remaining { out[take - 1] = 0x0A }  // the file's last byte
                try writer.write(UnsafeRawBufferPointer(start: out, count: take))
                remaining -= take
            }
        }
    }

    /// The line generator: vocabulary, Zipf sampler, random state and the sentence in progress.
    struct Lines {
        private let vocabulary: TextVocabulary
        private let sampler: ZipfSampler
        private var random: SeededRandom
        private var wordsLeftInSentence = 0

        init(seed: UInt64) {
            vocabulary = TextVocabulary(count: TextGenerator.vocabularySize, seed: seed)
            sampler = ZipfSampler(count: vocabulary.count)
            random = SeededRandom(seed: seed, stream: 0x7465_7874)
        }

        /// Writes one line (with its "\n") at `out + offset`, which must have room for 4096 bytes, and
        /// returns the offset after it.
        mutating func appendLine(to out: UnsafeMutablePointer<UInt8>, at offset: Int) -> Int {
            var p = offset
            let words = 5 + SeededRandom.below(14, using: random.next())
            vocabulary.bytes.withUnsafeBufferPointer { bytes in
                vocabulary.offsets.withUnsafeBufferPointer { offsets in
                    for k in 0..<words {
                        let rank = sampler.rank(random.next())
                        let bits = random.next()
                        let start = Int(offsets[rank])
                        let length = Int(offsets[rank + 1]) - start
                        if k > 0 {
                            out[p] = 0x20
                            p += 1
                        }
                        (out + p).update(from: bytes.baseAddress! + start, count: length)
                        if wordsLeftInSentence == 0 {
                            out[p] &= 0xDF  // capitalize the sentence's first letter
                            wordsLeftInSentence = 4 + SeededRandom.below(27, using: bits)
                        }
                        p += length
                        wordsLeftInSentence -= 1
                        if wordsLeftInSentence == 0 {
                            out[p] = 0x2E  // "."
                            p += 1
                        } else if bits & 15 == 0 {
                            out[p] = 0x2C  // ","
                            p += 1
                        }
                    }
                }
            }
            out[p] = 0x0A
            return p + 1
        }
    }
}
