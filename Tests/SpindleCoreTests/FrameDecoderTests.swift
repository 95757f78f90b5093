import Testing
@testable import SpindleCore

/// Deterministic pseudo-random numbers (SplitMix64) so failures reproduce.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Two frames back to back: an empty payload and a short one.
private let twoFrames = [Frame(kind: 3, payload: []), Frame(kind: 200, payload: Array("payload!".utf8))]
private let twoFrameStream = twoFrames.flatMap(\.encoded)

/// Pulls every complete frame currently buffered.
private func drain(_ decoder: inout FrameDecoder) throws -> [Frame] {
    var frames: [Frame] = []
    while let frame = try decoder.nextFrame() { frames.append(frame) }
    return frames
}

@Suite struct FrameDecoderTests {
    @Test func encodingLayoutIsLengthKindPayload() {
        #expect(Frame.encode(kind: 7, payload: [0xAA, 0xBB]) == [3, 0, 0, 0, 7, 0xAA, 0xBB])
        #expect(Frame(kind: 1, payload: []).encoded == [1, 0, 0, 0, 1])
        var buffer: [UInt8] = [9]
        Frame.appendHeader(kind: 2, payloadCount: 0x0102_0303, to: &buffer)
        #expect(buffer == [9, 4, 3, 2, 1, 2])
    }

    @Test func truncatedFrameNeedsMoreBytes() throws {
        var decoder = FrameDecoder()
        decoder.append(contentsOf: Array(twoFrames[1].encoded.dropLast()))
        #expect(try decoder.nextFrame() == nil)
        #expect(decoder.bufferedByteCount == twoFrames[1].encoded.count - 1)
        decoder.append(contentsOf: [twoFrames[1].encoded.last!])
        #expect(try decoder.nextFrame() == twoFrames[1])
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test func byteByByteFeedYieldsFramesExactlyWhenComplete() throws {
        var decoder = FrameDecoder()
        var frames: [Frame] = []
        let firstEnd = twoFrames[0].encoded.count
        for (index, byte) in twoFrameStream.enumerated() {
            decoder.append(contentsOf: [byte])
            frames += try drain(&decoder)
            let fed = index + 1
            let expectedCount = fed < firstEnd ? 0 : (fed < twoFrameStream.count ? 1 : 2)
            #expect(frames.count == expectedCount, "after \(fed) bytes")
            #expect(decoder.bufferedByteCount == fed - frames.reduce(0) { $0 + $1.encoded.count })
        }
        #expect(frames == twoFrames)
    }

    @Test(arguments: 0 ... twoFrameStream.count)
    func everyTwoWaySplitYieldsExactlyTheFrames(split: Int) throws {
        var decoder = FrameDecoder()
        decoder.append(contentsOf: Array(twoFrameStream[..<split]))
        var frames = try drain(&decoder)
        twoFrameStream[split...].withUnsafeBytes { decoder.append($0) }
        frames += try drain(&decoder)
        #expect(frames == twoFrames)
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test func oversizedLengthIsRejectedAsSoonAsHeaderArrives() throws {
        var decoder = FrameDecoder(maxFrameSize: 16)
        decoder.append(contentsOf: [0xFF, 0xFF, 0xFF])
        #expect(try decoder.nextFrame() == nil, "three length bytes are not enough to judge")
        decoder.append(contentsOf: [0xFF])
        #expect(throws: FrameError.oversized(length: UInt32.max, maximum: 16)) { try decoder.nextFrame() }
        #expect(throws: FrameError.oversized(length: UInt32.max, maximum: 16)) { try decoder.nextFrame() }
    }

    @Test func lengthZeroIsAnEmptyFrameError() {
        var decoder = FrameDecoder()
        decoder.append(contentsOf: [0, 0, 0, 0])
        #expect(throws: FrameError.emptyFrame) { try decoder.nextFrame() }
    }

    @Test func payloadOfMaxFrameSizeMinusOneIsAccepted() throws {
        var decoder = FrameDecoder(maxFrameSize: 16)
        let fits = Frame(kind: 1, payload: [UInt8](repeating: 0xAB, count: 15))
        decoder.append(contentsOf: fits.encoded)
        #expect(try decoder.nextFrame() == fits)
        decoder.append(contentsOf: Frame.encode(kind: 1, payload: [UInt8](repeating: 0, count: 16)))
        #expect(throws: FrameError.oversized(length: 17, maximum: 16)) { try decoder.nextFrame() }
    }

    @Test func manyFramesThroughWritableSpaceInRandomChunks() throws {
        var generator = SeededGenerator(state: 99)
        let frames = (0 ..< 2000).map { index in
            let count = index % 97 == 0 ? Int.random(in: 5000 ... 20000, using: &generator) : Int.random(in: 0 ... 300, using: &generator)
            return Frame(kind: UInt8(truncatingIfNeeded: index), payload: (0 ..< count).map { UInt8(truncatingIfNeeded: $0 &+ index) })
        }
        let stream = frames.flatMap(\.encoded)
        var decoder = FrameDecoder(maxFrameSize: 1 << 16)
        var position = 0
        var received: [Frame] = []
        while position < stream.count {
            let want = Int.random(in: 1 ... 4096, using: &generator)
            let written = decoder.withWritableSpace(minimumCapacity: want) { space in
                #expect(space.count >= want)
                let n = Swift.min(want, stream.count - position)
                stream.withUnsafeBytes { source in
                    space.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[position ..< position + n]))
                }
                return n
            }
            #expect(written == Swift.min(want, stream.count - position))
            position += written
            received += try drain(&decoder)
        }
        #expect(received.count == frames.count)
        #expect(received == frames)
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test func writableSpaceBodyThatThrowsOrWritesNothingAddsNothing() throws {
        struct ReadFailed: Error {}
        var decoder = FrameDecoder()
        decoder.append(contentsOf: [5, 0])
        #expect(throws: ReadFailed.self) {
            try decoder.withWritableSpace(minimumCapacity: 8) { space in
                space[0] = 0xEE
                throw ReadFailed()
            }
        }
        #expect(decoder.withWritableSpace(minimumCapacity: 8) { _ in 0 } == 0)
        #expect(decoder.bufferedByteCount == 2)
        decoder.append(contentsOf: [0, 0, 9, 1, 2, 3, 4])
        #expect(try decoder.nextFrame() == Frame(kind: 9, payload: [1, 2, 3, 4]))
    }

    @Test func interleavedPartialFramesSurviveCompaction() throws {
        // Each step leaves a partial frame behind, so compaction must move live bytes correctly.
        var decoder = FrameDecoder()
        let frame = Frame(kind: 4, payload: [UInt8](repeating: 0x5A, count: 3000)).encoded
        var received = 0
        for round in 0 ..< 200 {
            let cut = (round * 131) % frame.count
            decoder.append(contentsOf: Array(frame[..<cut]))
            received += try drain(&decoder).count
            decoder.append(contentsOf: Array(frame[cut...]))
            let frames = try drain(&decoder)
            #expect(frames.allSatisfy { $0.payload.count == 3000 && $0.kind == 4 })
            received += frames.count
        }
        #expect(received == 200)
        #expect(decoder.bufferedByteCount == 0)
    }
}
