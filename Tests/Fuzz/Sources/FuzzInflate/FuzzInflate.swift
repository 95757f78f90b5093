@_spi(Fuzzing) import Spindle
import FuzzSupport

/// The gzip and DEFLATE decoders. Input: a mode byte, a piece-size byte, then the data. Modes: 0, the data is
/// a gzip file; 1, a raw DEFLATE stream; 2, plain bytes put in self-made stored blocks (sizes from the next
/// bytes), which must decode to themselves. Invariants: never a crash or a trap; no call returns more than
/// the decoder's chunk bound; a decoder never stalls with all input given (it finishes or throws); whole
/// input fed at once or in pieces gives the same output and the same error.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInflate(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let mode = input.byte() % 3
    let piece = 1 + Int(input.byte()) * 37
    let chunkSize = 64 << 10
    switch mode {
    case 0, 1:
        let bytes = input.remainder()
        bytes.withUnsafeBytes { all in
            let decode = mode == 0 ? FuzzEntryPoints.gunzip : FuzzEntryPoints.inflateRaw
            let inPieces = decode(all, piece, chunkSize)
            let atOnce = decode(all, all.count, chunkSize)
            for result in [inPieces, atOnce] {
                require(result.largestChunk <= result.chunkBound, "a chunk of \(result.largestChunk) bytes, bound \(result.chunkBound)")
                require(result.error != "no progress with all input given", "the decoder stalled with all input given")
            }
            require(inPieces.error == atOnce.error, "pieces of \(piece) gave \(inPieces.error ?? "success"), whole gave \(atOnce.error ?? "success")")
            if inPieces.error == nil { require(inPieces.output == atOnce.output, "pieces and whole gave different output") }
        }
    default:
        let sizes = (0..<Int(input.byte() % 4)).map { _ in Int(input.uint16()) }
        let plain = input.remainder()
        let file = FuzzEntryPoints.storedGzip(plain, blockSizes: sizes)
        file.withUnsafeBytes { all in
            let result = FuzzEntryPoints.gunzip(all, piece: piece, chunkSize: chunkSize)
            require(result.error == nil, "a self-made stored gzip failed: \(result.error ?? "")")
            require(result.output == plain, "a self-made stored gzip decoded to other bytes")
        }
    }
    return 0
}

/// The process entry point (SwiftPM links `main` to `<Target>_main`): libFuzzer's driver with this target.
@_cdecl("FuzzInflate_main")
func fuzzInflateMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzInflate)
}
