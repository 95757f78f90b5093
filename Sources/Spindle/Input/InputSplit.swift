import SpindleCore

/// A byte range of one input file. It owns every line that *starts* within `start..<end`, so ranges cut
/// anywhere still give each line to exactly one split (the rule Hadoop's line reader uses).
///
/// It carries the file's identity as planned: the task reading it checks the file against it and reads no
/// byte past the planned size (see ``InputFileReader``).
package struct FileChunk: Sendable, Equatable, WireCodable {
    package var path: String
    package var start: Int
    package var end: Int
    /// The whole file as it was when the job was planned (nil: not checked).
    package var identity: FileIdentity?

    package init(path: String, start: Int, end: Int, identity: FileIdentity? = nil) {
        self.path = path
        self.start = start
        self.end = end
        self.identity = identity
    }
    package func encode(to w: inout WireWriter) { w.write(path); w.write(start); w.write(end); w.write(identity) }
    package init(from r: inout WireReader) throws {
        path = try r.read(String.self); start = try r.read(Int.self); end = try r.read(Int.self)
        identity = try r.read(FileIdentity?.self)
    }
}

/// The input of one map task: one or more chunks (small files are packed together).
package struct InputSplit: Sendable, Equatable, WireCodable {
    package var chunks: [FileChunk]
    package var byteCount: Int { chunks.reduce(0) { $0 + $1.end - $1.start } }

    package init(chunks: [FileChunk]) { self.chunks = chunks }
    package func encode(to w: inout WireWriter) { w.write(chunks) }
    package init(from r: inout WireReader) throws { chunks = try r.read([FileChunk].self) }

    /// "a.txt bytes 0-1048576" (and "+ 3 more files" when packed), for errors and logs.
    package var summary: String {
        guard let first = chunks.first else { return "no input" }
        let name = first.path.split(separator: "/").last.map(String.init) ?? first.path
        let more = chunks.count > 1 ? " + \(chunks.count - 1) more chunk\(chunks.count > 2 ? "s" : "")" : ""
        return "\(name) bytes \(first.start)-\(first.end)\(more)"
    }
}

/// Cuts input files into splits of about `splitSize` bytes, packing small files together. A `.gz` file is
/// never cut nor packed: it is one split of its own (see ``GzipLineBlockReader``).
package enum InputSplitter {
    /// The split size used when `--split-size` is not given: eight splits per worker (rounded up, so no sliver
    /// is left over), within 1 MiB...128 MiB. Eight rather than fewer, so that when one worker runs slower than
    /// the other the stage's tail, where the fast one has nothing left to take, is short.
    package static func defaultSplitSize(totalBytes: Int, workers: Int) -> Int {
        let splits = max(1, workers * splitsPerWorker)
        let target = (totalBytes + splits - 1) / splits
        return min(128 << 20, max(1 << 20, target))
    }

    /// Splits per worker by default.
    package static let splitsPerWorker = 8

    /// Cuts `files` into splits of about `splitSize` bytes; at least one (with no chunks for an empty input).
    package static func split(_ files: [InputFile], splitSize: Int) -> [InputSplit] {
        precondition(splitSize > 0)
        var splits: [InputSplit] = []
        var current: [FileChunk] = []
        var currentBytes = 0
        for file in files where file.size > 0 {
            if GzipLineBlockReader.isGzip(file.path) {
                // Not splittable: one split of its own per compressed file.
                splits.append(InputSplit(chunks: [FileChunk(path: file.path, start: 0, end: file.size, identity: file.identity)]))
                continue
            }
            var offset = 0
            while offset < file.size {
                let take = min(file.size - offset, splitSize - currentBytes)
                current.append(FileChunk(path: file.path, start: offset, end: offset + take, identity: file.identity))
                currentBytes += take
                offset += take
                if currentBytes == splitSize {
                    splits.append(InputSplit(chunks: current))
                    current = []
                    currentBytes = 0
                }
            }
        }
        if !current.isEmpty { splits.append(InputSplit(chunks: current)) }
        // An empty input (no files, or only empty ones) still gets one split, over nothing: its task runs, the
        // stages after it run, and the job writes empty part files and `_SUCCESS`, as Hadoop does.
        return splits.isEmpty ? [InputSplit(chunks: [])] : splits
    }
}
