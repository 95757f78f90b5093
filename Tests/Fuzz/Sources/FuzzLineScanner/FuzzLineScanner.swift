@_spi(Fuzzing) import Spindle
import FuzzSupport

/// The line scanner splits a file into chunks' lines. Input: one byte choosing how many chunk boundaries follow
/// (each two bytes), then the file. Invariants: the chunks' lines, in order, are exactly the file's lines found
/// by a naive split (each once, whatever the boundaries); `ownedEnd` of a chunk is where the next chunk's first
/// line starts; `indexOfNewline` agrees with a byte-by-byte search from every offset.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLineScanner(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let cutCount = Int(input.byte() % 8)
    var cuts: [Int] = []
    for _ in 0..<cutCount { cuts.append(Int(input.uint16())) }
    let file = input.remainder()
    // Chunk boundaries: 0, the cuts (clamped to the file, sorted), and the file's end.
    let bounds = [0] + cuts.map { min($0, file.count) }.sorted() + [file.count]

    file.withUnsafeBytes { bytes in
        let expected = naiveLines(file)
        var found: [Range<Int>] = []
        for (start, end) in zip(bounds, bounds.dropFirst()) {
            let lines = FuzzEntryPoints.linesOwned(in: bytes, start: start, end: end)
            for line in lines {
                require(line.lowerBound >= start && (line.lowerBound < end || start == end), "line \(line) starts outside chunk \(start)..<\(end)")
            }
            found += lines
            let ownedEnd = FuzzEntryPoints.ownedEnd(in: bytes, start: start, end: end)
            let nextStart = expected.first { $0.lowerBound >= end }?.lowerBound ?? file.count
            require(ownedEnd == nextStart, "ownedEnd(\(start), \(end)) = \(ownedEnd), but the next line starts at \(nextStart)")
        }
        require(found == expected, "chunks \(bounds) found lines \(found), the file has \(expected)")

        var next: Int? = nil
        for offset in stride(from: file.count, through: 0, by: -1) {
            if offset < file.count, file[offset] == 0x0A { next = offset }
            let index = FuzzEntryPoints.indexOfNewline(in: bytes, from: offset)
            require(index == next, "indexOfNewline(from: \(offset)) = \(String(describing: index)), expected \(String(describing: next))")
        }
    }
    return 0
}

/// Lines as `start..<end` (end excludes the newline); a final line without `\n` counts, an empty tail does not.
private func naiveLines(_ file: [UInt8]) -> [Range<Int>] {
    var lines: [Range<Int>] = []
    var start = 0
    for (index, byte) in file.enumerated() where byte == 0x0A {
        lines.append(start..<index)
        start = index + 1
    }
    if start < file.count { lines.append(start..<file.count) }
    return lines
}

/// The process entry point (SwiftPM links `main` to `<Target>_main`): libFuzzer's driver with this target.
@_cdecl("FuzzLineScanner_main")
func fuzzLineScannerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzLineScanner)
}
