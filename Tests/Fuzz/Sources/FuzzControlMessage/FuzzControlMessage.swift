@_spi(Fuzzing) import Spindle
@testable import SpindleCore
import FuzzSupport

/// Control-message decoding. Input: the frame's kind byte, then its payload.
///
/// Invariants: decoding throws or returns, never traps; a decoded message re-encodes to a frame of the same
/// kind that decodes again to a message with the identical encoding (compared as bytes, so a NaN progress
/// still counts as equal); a canonical payload (one that is its own re-encoding) loses its last byte only by
/// failing to decode; and a frame of a non-control kind is always refused.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzControlMessage(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let frame = Frame(kind: input.byte(), payload: input.remainder())
    guard let message = try? ControlMessage(frame: frame) else { return 0 }

    let controlKinds: [MessageKind] = [
        .register, .registered, .heartbeat, .assign, .finished, .failed, .cancel, .shutdown, .peersLost, .releasePartitions, .storageChecked,
    ]
    require(controlKinds.map(\.rawValue).contains(frame.kind), "kind \(frame.kind) decoded as a control message")
    let encoded = message.frame()
    require(encoded.kind == frame.kind, "a kind \(frame.kind) message re-encodes as kind \(encoded.kind)")
    let again: ControlMessage
    do {
        again = try ControlMessage(frame: encoded)
    } catch {
        require(false, "the re-encoding of a decoded message does not decode: \(error)")
        return 0
    }
    require(again.frame() == encoded, "decode(encode(message)) encodes differently")

    if encoded == frame, !frame.payload.isEmpty {
        let cut = Frame(kind: frame.kind, payload: Array(frame.payload.dropLast()))
        require((try? ControlMessage(frame: cut)) == nil, "a canonical payload still decodes without its last byte")
    }
    return 0
}

/// The process entry point (SwiftPM links `main` to `<Target>_main`): libFuzzer's driver with this target.
@_cdecl("FuzzControlMessage_main")
func fuzzControlMessageMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzControlMessage)
}
