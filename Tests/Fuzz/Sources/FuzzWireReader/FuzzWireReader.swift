@_spi(Fuzzing) import Spindle
import FuzzSupport

/// `WireReader` over every fast `WireCodable` conformance of SpindleCore/Wire.
///
/// Input: a selector byte (modulo 32), then the bytes to read. Selectors 0...24 pick a type and read as many
/// values of it as the bytes hold; the others run a sequence of primitive reads chosen by the following bytes.
///
/// Invariants for types: reading never traps; each decoded value re-encodes to bytes that decode, consuming all
/// of them, to a value with the same encoding; fixed-size types re-encode to exactly the bytes they were read
/// from, and types without text never re-encode longer than they were read (varints may be non-minimal).
/// Invariants for primitives: a failed primitive read leaves `offset` unchanged; a successful one advances it by
/// the bytes it used; `readVarint` agrees with a reference decoder; slices point into the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWireReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let selector = Int(input.byte() % 32)
    if selector < typeChecks.count {
        typeChecks[selector](input.remainder())
    } else {
        primitives(&input)
    }
    return 0
}

/// How a value's re-encoding must relate to the bytes it was read from.
private enum Canonical {
    /// Exactly the same bytes (fixed-size encodings).
    case exact
    /// No longer (varints and counts may have been written non-minimally; nothing else changes).
    case noLonger
    /// Unconstrained (invalid UTF-8 becomes U+FFFD, which may be longer).
    case any
}

private let typeChecks: [@Sendable ([UInt8]) -> Void] = [
    { check(UInt8.self, $0, .exact) },
    { check(Int8.self, $0, .exact) },
    { check(Bool.self, $0, .exact) },
    { check(Double.self, $0, .exact) },
    { check(Float.self, $0, .exact) },
    { check(UInt16.self, $0, .noLonger) },
    { check(UInt32.self, $0, .noLonger) },
    { check(UInt64.self, $0, .noLonger) },
    { check(UInt.self, $0, .noLonger) },
    { check(Int16.self, $0, .noLonger) },
    { check(Int32.self, $0, .noLonger) },
    { check(Int64.self, $0, .noLonger) },
    { check(Int.self, $0, .noLonger) },
    { check(String.self, $0, .any) },
    { check(ByteString.self, $0, .noLonger) },
    { check([UInt8].self, $0, .noLonger) },
    { check([Int].self, $0, .noLonger) },
    { check([String].self, $0, .any) },
    { check([Bool?].self, $0, .noLonger) },
    { check(Int?.self, $0, .noLonger) },
    { check(Pair<Bool, Float>?.self, $0, .exact) },
    { check(Pair<String, Int64>.self, $0, .any) },
    { check([[Double]].self, $0, .noLonger) },
    { check([Pair<ByteString, [UInt32?]>].self, $0, .noLonger) },
    { check(Pair<Int8, Pair<UInt16, [Int16]>>.self, $0, .noLonger) },
]

/// Reads `T` values back to back until the bytes end or a read throws, checking each one.
private func check<T: WireCodable>(_ type: T.Type, _ bytes: [UInt8], _ canonical: Canonical) {
    bytes.withUnsafeBytes { raw in
        var reader = WireReader(raw)
        for _ in 0..<64 where !reader.isAtEnd {
            let start = reader.offset
            guard let value = try? reader.read(T.self) else { return }
            require(reader.offset > start, "\(T.self) decoded from zero bytes")
            let consumed = Array(raw[start..<reader.offset])
            let encoded = value.wireEncoded()
            switch canonical {
            case .exact: require(encoded == consumed, "\(T.self) read from \(consumed) re-encodes as \(encoded)")
            case .noLonger: require(encoded.count <= consumed.count, "\(T.self) read from \(consumed.count) bytes re-encodes to \(encoded.count)")
            case .any: break
            }
            do {
                let again = try WireReader.decode(T.self, from: encoded)
                require(again.wireEncoded() == encoded, "\(T.self): decode(encode(value)) encodes differently")
            } catch {
                require(false, "\(T.self): the encoding of a decoded value does not decode: \(error)")
            }
        }
    }
}

/// A sequence of primitive reads chosen by the input, each checked against what the bytes say.
private func primitives(_ input: inout FuzzInput) {
    let opCount = Int(input.byte() % 32)
    let ops = input.bytes(opCount)
    let bytes = input.remainder()
    bytes.withUnsafeBytes { raw in
        var reader = WireReader(raw)
        for op in ops {
            let start = reader.offset
            let remaining = raw.count - start
            require(reader.remaining == remaining && reader.isAtEnd == (remaining == 0), "remaining/isAtEnd disagree with offset")
            do {
                switch op % 10 {
                case 0:
                    let byte = try reader.readByte()
                    require(byte == raw[start] && reader.offset == start + 1, "readByte")
                case 1:
                    let value = try reader.readFixed(UInt32.self)
                    require(reader.offset == start + 4 && value == littleEndian(raw, start, 4), "readFixed(UInt32)")
                case 2:
                    let value = try reader.readFixed(Int64.self)
                    require(reader.offset == start + 8 && UInt64(bitPattern: value) == littleEndian(raw, start, 8), "readFixed(Int64)")
                case 3, 4:
                    let model = referenceVarint(raw, start)
                    do {
                        let value = try reader.readVarint()
                        require(model?.value == value && reader.offset == start + (model?.length ?? -1),
                                "readVarint read \(value) to \(reader.offset), the reference \(String(describing: model))")
                    } catch {
                        require(model == nil, "readVarint threw \(error), the reference reads \(String(describing: model))")
                        throw error
                    }
                case 5:
                    let model = referenceVarint(raw, start)
                    let value = try reader.readZigZag()
                    let unzigzagged = model.map { Int64(bitPattern: $0.value >> 1) ^ -Int64(bitPattern: $0.value & 1) }
                    require(unzigzagged == value, "readZigZag read \(value), the reference \(String(describing: unzigzagged))")
                case 6:
                    let count = Int(op / 10) - 5
                    let slice = try reader.readRaw(count: count)
                    require(count >= 0 && slice.count == count && slice.baseAddress == raw.baseAddress.map { $0 + start },
                            "readRaw(\(count)) returned \(slice.count) bytes from the wrong place")
                case 7:
                    let slice = try reader.readLengthPrefixed()
                    let model = referenceVarint(raw, start)!
                    require(UInt64(slice.count) == model.value && reader.offset == start + model.length + slice.count,
                            "readLengthPrefixed")
                case 8:
                    let count = try reader.readCount()
                    require(count >= 0 && count <= reader.remaining, "readCount returned \(count) with \(reader.remaining) bytes left")
                default:
                    let target = Int(op / 10) % (raw.count + 1)
                    reader.offset = target
                    require(reader.offset == target, "seek")
                }
            } catch {
                require(reader.offset == start, "a failed primitive read (op \(op % 10)) moved the offset from \(start) to \(reader.offset)")
            }
        }
    }
}

private func littleEndian(_ raw: UnsafeRawBufferPointer, _ start: Int, _ count: Int) -> UInt64 {
    var value: UInt64 = 0
    for index in (0..<count).reversed() { value = value << 8 | UInt64(raw[start + index]) }
    return value
}

/// LEB128 the slow way: at most 10 bytes, and the 10th may only hold the top bit.
private func referenceVarint(_ raw: UnsafeRawBufferPointer, _ start: Int) -> (value: UInt64, length: Int)? {
    var value: UInt64 = 0
    for index in 0..<10 {
        guard start + index < raw.count else { return nil }
        let byte = raw[start + index]
        if index == 9 {
            guard byte <= 1 else { return nil }
            return (value | UInt64(byte) << 63, 10)
        }
        value |= UInt64(byte & 0x7F) << (7 * UInt64(index))
        if byte < 0x80 { return (value, index + 1) }
    }
    return nil
}

/// The process entry point (SwiftPM links `main` to `<Target>_main`): libFuzzer's driver with this target.
@_cdecl("FuzzWireReader_main")
func fuzzWireReaderMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzWireReader)
}
