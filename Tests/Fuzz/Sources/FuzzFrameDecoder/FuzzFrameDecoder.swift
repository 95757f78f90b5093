@_spi(Fuzzing) import Spindle
@testable import SpindleCore
import FuzzSupport

/// The frame decoder against a byte-at-a-time model of the frame format.
///
/// Input: a byte choosing the maximum frame size (small, or the 64 MiB default), a byte giving the number of
/// chunk sizes that follow (each one byte), then the stream, fed chunk by chunk through `append` or
/// `withWritableSpace` alternately. Invariants: the frames are the model's frames and re-encode to exactly the
/// bytes they came from; an empty or oversized header throws as soon as its 4 length bytes are buffered, with
/// the model's error, and again on every later call; the buffered byte count is the bytes fed minus the bytes
/// returned, always less than one maximum frame after draining; and the buffer's storage stays within a small
/// multiple of the maximum frame plus the chunk being added (so announcing a huge frame allocates nothing).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrameDecoder(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let sizeChoice = input.byte()
    let maxFrameSize = sizeChoice & 0x80 == 0 ? 1 + Int(sizeChoice) * 7 : 64 << 20
    let chunkCount = Int(input.byte() % 16)
    let chunkSizes = (0..<chunkCount).map { _ in Int(input.byte()) }
    let stream = input.remainder()

    let model = FrameModel(stream: stream, maxFrameSize: maxFrameSize)
    var decoder = FrameDecoder(maxFrameSize: maxFrameSize)
    var fed = 0
    var consumed = 0
    var frames: [Frame] = []
    var thrown: FrameError?
    var chunkIndex = 0
    var fedBefore = 0
    var largestDemand = 0

    while fed < stream.count {
        let chunk = chunkSizes.isEmpty ? stream.count : max(1, chunkSizes[chunkIndex % chunkSizes.count])
        let end = min(stream.count, fed + chunk)
        let piece = Array(stream[fed..<end])
        if chunkIndex % 2 == 0 {
            decoder.append(contentsOf: piece)
        } else {
            decoder.withWritableSpace(minimumCapacity: piece.count) { space in
                space.copyBytes(from: piece)
                return piece.count
            }
        }
        largestDemand = max(largestDemand, decoder.bufferedByteCount)
        fedBefore = fed
        fed = end
        chunkIndex += 1
        // Reflection is slow; storage and demand only grow, so every 8th chunk and the last one suffice.
        if chunkIndex % 8 == 0 || fed == stream.count {
            let storage = storageCount(of: decoder)
            require(storage <= max(4096, 4 * largestDemand), "storage grew to \(storage) bytes; at most \(largestDemand) were ever buffered")
        }

        do {
            while let frame = try decoder.nextFrame() {
                require(frame.payload.count + 1 <= maxFrameSize, "a frame of \(frame.payload.count + 1) bytes passed the maximum \(maxFrameSize)")
                let encoded = frame.encoded
                require(consumed + encoded.count <= fed && Array(stream[consumed..<consumed + encoded.count]) == encoded,
                        "frame \(frames.count) does not re-encode to the bytes it came from")
                consumed += encoded.count
                frames.append(frame)
            }
        } catch {
            thrown = error
            break
        }
        require(decoder.bufferedByteCount == fed - consumed, "buffered \(decoder.bufferedByteCount), fed \(fed), consumed \(consumed)")
        require(decoder.bufferedByteCount < 4 + maxFrameSize, "after draining, \(decoder.bufferedByteCount) bytes are buffered; a whole frame is at most \(4 + maxFrameSize)")
    }

    require(frames == Array(model.frames.prefix(frames.count)), "the decoder's frames differ from the model's")
    if let thrown {
        require(frames.count == model.frames.count, "threw \(thrown) after \(frames.count) of the model's \(model.frames.count) frames")
        require(thrown == model.error, "threw \(thrown), the model expects \(String(describing: model.error))")
        // The error must surface as soon as the bad header's 4 length bytes arrived, not after its payload.
        require(fed - consumed >= 4 && fedBefore - consumed < 4, "threw late: \(fedBefore - consumed) bytes of the bad frame were already buffered")
        do {
            _ = try decoder.nextFrame()
            require(false, "nextFrame succeeded after \(thrown)")
        } catch {
            require(error == thrown, "a later call threw \(error), not \(thrown) again")
        }
    } else {
        require(frames.count == model.frames.count, "decoded \(frames.count) frames, the model has \(model.frames.count)")
        require(model.error == nil || (stream.count - model.errorOffset < 4 && model.errorOffset == consumed),
                "the model fails with \(String(describing: model.error)) but the decoder did not throw")
    }
    return 0
}

/// The byte count of the decoder's private storage array, read by reflection.
private func storageCount(of decoder: FrameDecoder) -> Int {
    for child in Mirror(reflecting: decoder).children where child.label == "storage" {
        return (child.value as? [UInt8])?.count ?? 0
    }
    require(false, "FrameDecoder has no 'storage' property any more; update the fuzz target")
    return 0
}

/// Frames read from a complete stream one header at a time: the specification the decoder must match.
private struct FrameModel {
    var frames: [Frame] = []
    var error: FrameError?
    /// Where the header that failed starts.
    var errorOffset = 0

    init(stream: [UInt8], maxFrameSize: Int) {
        var offset = 0
        while stream.count - offset >= 4 {
            let length = UInt32(stream[offset]) | UInt32(stream[offset + 1]) << 8
                | UInt32(stream[offset + 2]) << 16 | UInt32(stream[offset + 3]) << 24
            if length == 0 {
                error = .emptyFrame
                errorOffset = offset
                return
            }
            if UInt64(length) > UInt64(maxFrameSize) {
                error = .oversized(length: length, maximum: maxFrameSize)
                errorOffset = offset
                return
            }
            let total = 4 + Int(length)
            guard stream.count - offset >= total else { return }
            frames.append(Frame(kind: stream[offset + 4], payload: Array(stream[offset + 5..<offset + total])))
            offset += total
        }
    }
}

/// The process entry point (SwiftPM links `main` to `<Target>_main`): libFuzzer's driver with this target.
@_cdecl("FuzzFrameDecoder_main")
func fuzzFrameDecoderMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzFrameDecoder)
}
