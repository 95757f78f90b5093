import CLibFuzzer

/// Carves structured choices out of a fuzzer's byte string, front to back. Running out of bytes is not an error:
/// every read then returns zero or an empty slice, so each input maps to exactly one deterministic run.
public struct FuzzInput {
    /// The bytes still unread.
    public private(set) var rest: ArraySlice<UInt8>

    /// Wraps the bytes libFuzzer handed to `LLVMFuzzerTestOneInput`.
    public init(_ data: UnsafePointer<UInt8>?, _ count: Int) {
        if let data, count > 0 {
            rest = ArraySlice(UnsafeBufferPointer(start: data, count: count))
        } else {
            rest = []
        }
    }

    /// Wraps an array (for tests of the targets themselves).
    public init(_ bytes: [UInt8]) { rest = bytes[...] }

    /// True when every byte has been read.
    public var isEmpty: Bool { rest.isEmpty }

    /// The next byte, or 0 at the end.
    public mutating func byte() -> UInt8 {
        guard let first = rest.first else { return 0 }
        rest = rest.dropFirst()
        return first
    }

    /// The next two bytes as a little-endian integer, or 0 at the end.
    public mutating func uint16() -> UInt16 {
        UInt16(byte()) | UInt16(byte()) << 8
    }

    /// The next `count` bytes, or fewer at the end.
    public mutating func bytes(_ count: Int) -> [UInt8] {
        let taken = rest.prefix(count)
        rest = rest.dropFirst(taken.count)
        return Array(taken)
    }

    /// Every byte not yet read.
    public mutating func remainder() -> [UInt8] {
        defer { rest = [] }
        return Array(rest)
    }
}

/// Stops the fuzz run with `message` when `condition` is false. The trap makes libFuzzer save the input as a crash.
public func require(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    if !condition() {
        fatalError("invariant violated: \(message())", file: file, line: line)
    }
}

/// Runs libFuzzer's driver with the process arguments and `callback` as the fuzz target; returns its exit status.
/// Called from each target's `<Target>_main` (the entry point SwiftPM links as `main`).
public func runLibFuzzer(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt {
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector, callback)
}
