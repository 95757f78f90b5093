@testable import SpindleCore
import FuzzSupport

/// The coordinator journal's decoder (``JournalDecoder``, ``JournalRecord`` in the wire format) and its replay
/// (``ResumePlan``), as `spindle run --resume` reads a journal left by a killed coordinator.
///
/// Input: a mode byte, then either a whole journal file (even mode: header, framed records) or record payloads
/// (odd mode: `u16 length | payload` pieces, framed here with a correct length and CRC32C, so the fuzzer reaches
/// the record decoder instead of stopping at the checksum).
///
/// Invariants: decoding throws ``JournalDecoder/NotAJournal`` or returns, never traps; the intact prefix is at
/// most the input, and ends it exactly when no damage is reported; decoding the intact prefix again gives records
/// with the same encodings and no damage; each record re-frames to bytes that decode to a record with the same encoding; replaying
/// the records (``ResumePlan``) and matching served outputs against them throws or returns, never traps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJournal(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let mode = input.byte()
    let bytes: [UInt8]
    if mode & 1 == 0 {
        bytes = input.remainder()
    } else {
        var framed = JournalFraming.header
        while !input.isEmpty {
            let payload = input.bytes(Int(input.uint16()))
            framed += littleEndian(UInt32(payload.count)) + littleEndian(CRC32C.checksum(payload)) + payload
        }
        bytes = framed
    }
    let contents: JournalDecoder.Contents
    do {
        contents = try JournalDecoder.decode(bytes)
    } catch is JournalDecoder.NotAJournal {
        require(bytes.count < JournalFraming.header.count || Array(bytes.prefix(JournalFraming.header.count)) != JournalFraming.header,
            "a journal with the right header was refused as not a journal")
        return 0
    } catch {
        require(false, "decoding threw something else than NotAJournal: \(error)")
        return 0
    }
    require(contents.intactLength <= bytes.count, "the intact prefix (\(contents.intactLength)) is longer than the input (\(bytes.count))")
    require((contents.damagedTail == nil) == (contents.intactLength == bytes.count), "damage reported with nothing after the intact prefix, or none before the end")
    if !bytes.isEmpty {
        let again = try? JournalDecoder.decode(Array(bytes[0..<contents.intactLength]))
        // Compared as encodings: a record holding a NaN aggregate is not == to itself.
        require(
            again?.records.map { $0.wireEncoded() } == contents.records.map { $0.wireEncoded() } && again?.damagedTail == nil,
            "the intact prefix does not decode to the same records")
    }
    for record in contents.records {
        let framed = JournalFraming.frame(record)
        let decoded = try? JournalDecoder.decode(JournalFraming.header + framed)
        require(decoded?.records.count == 1 && decoded?.damagedTail == nil, "a decoded record does not decode after re-framing")
        if let again = decoded?.records.first {
            require(again.wireEncoded() == record.wireEncoded(), "decode(encode(record)) encodes differently")
        }
    }
    if let plan = try? ResumePlan(records: contents.records) {
        require(plan.epoch >= 1, "a replayed journal resumes under epoch \(plan.epoch)")
        let served = plan.mapOutputs.values.map { ServedOutput(attempt: $0.attempt, sizes: $0.sizes) }
        for output in plan.mapOutputs.values {
            let reused = plan.reusableMapOutputs(served: served, at: HostPort(host: output.host, port: output.port))
            require(reused.allSatisfy { $0.key == $0.value.index && plan.committedMaps[$0.key]?.attempt == $0.value.attempt },
                "a reused map output is not the journal's committed one")
        }
    }
    return 0
}

private func littleEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

/// The process entry point (SwiftPM links `main` to `<Target>_main`): libFuzzer's driver with this target.
@_cdecl("FuzzJournal_main")
func fuzzJournalMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzJournal)
}
