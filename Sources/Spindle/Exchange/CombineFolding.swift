import SpindleCore

/// ``ValueFolding`` for `WireCodable` values with a combine function: decodes each value, combines it into
/// the current one, and encodes the result.
final class CombineFolding<Value: WireCodable>: ValueFolding {
    private let combine: (inout Value, Value) -> Void
    private var current: Value?
    private var encoder = WireWriter()

    init(_ combine: @escaping (inout Value, Value) -> Void) {
        self.combine = combine
    }

    func start(_ value: UnsafeRawBufferPointer) throws {
        var reader = WireReader(value)
        current = try Value(from: &reader)
    }

    func add(_ value: UnsafeRawBufferPointer) throws {
        var reader = WireReader(value)
        let next = try Value(from: &reader)
        combine(&current!, next)
    }

    func withResult(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        encoder.removeAll(keepingCapacity: true)
        current!.encode(to: &encoder)
        current = nil
        try encoder.bytes.withUnsafeBytes(body)
    }
}
