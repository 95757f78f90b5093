import Spindle
import SpindleCore
import SpindlePosix

/// `spindle generate text|graph ... OUT`: writes deterministic test data. Before writing it refuses an
/// existing OUT without `--overwrite` and a size the target file system has no room for; the file then
/// appears whole or not at all.
enum GenerateCommand {
    static func execute(_ arguments: ParsedArguments) throws -> Int32 {
        let positionals = arguments.positionals
        let program = ProgramName.current
        guard positionals.count == 2 else {
            throw UsageError("'\(program) generate' needs a kind (text or graph) and an output path, e.g. '\(program) generate text --size 512MiB out.txt'")
        }
        let (kind, path) = (positionals[0], positionals[1])
        let graphOptions = ["rmat", "scale", "edge-factor"].filter { $0 == "rmat" ? arguments.flag($0) : arguments.value($0) != nil }
        if kind == "text", let option = graphOptions.first {
            throw UsageError("option '--\(option)' is for graphs, not text; '\(program) generate text' takes --size and --seed")
        }
        if kind == "graph", arguments.value("size") != nil {
            throw UsageError("option '--size' is for text, not graphs; a graph's size follows from --scale and --edge-factor")
        }
        let seed = UInt64(try arguments.int("seed", default: 1, range: 0...Int.max))
        let write: () throws -> Void
        let needed: Int
        let shrink: String
        switch kind {
        case "text":
            let size = try arguments.size("size", default: 64 << 20)
            guard size > 0 else { throw UsageError("--size must be at least 1 byte") }
            (needed, shrink) = (size, "a smaller --size")
            write = { try TextGenerator.write(to: path, size: size, seed: seed) }
        case "graph":
            let scale = try arguments.int("scale", default: 16, range: 1...40)
            let edgeFactor = try arguments.int("edge-factor", default: 16, range: 1...1024)
            (needed, shrink) = (GraphGenerator.maximumSize(scale: scale, edgeFactor: edgeFactor, seed: seed), "a smaller --scale or --edge-factor")
            write = { try GraphGenerator.writeRMAT(to: path, scale: scale, edgeFactor: edgeFactor, seed: seed) }
        default:
            throw UsageError("unknown data kind '\(kind)' for '\(program) generate'; use text or graph")
        }
        try checkTarget(path, overwrite: arguments.flag("overwrite"))
        try checkFreeSpace(needed: needed, for: path, shrink: shrink)
        let started = MonotonicClock.nanoseconds()
        do { try write() } catch {
            throw GenerateFailure(message: "writing '\(path)' failed: \(error); nothing was left behind")
        }
        let seconds = Double(MonotonicClock.nanoseconds() - started) / 1e9
        SystemInfo.writeStandardError("\(program): wrote \(ByteSize.format(try FileSystem.fileSize(path))) to \(path) in \(formatSeconds(seconds))\n")
        return 0
    }

    /// Refuses a directory, an existing file without `overwrite`, and a path whose directory is missing.
    /// - Throws: ``UsageError`` naming the path.
    static func checkTarget(_ path: String, overwrite: Bool) throws(UsageError) {
        if FileSystem.isDirectory(path) {
            throw UsageError("'\(path)' is a directory; give the path of a file to write")
        }
        if FileSystem.exists(path) && !overwrite {
            throw UsageError("'\(path)' already exists; pass --overwrite to replace it, or choose another path")
        }
        let directory = FileReplacement.directory(of: path)
        guard FileSystem.isDirectory(directory) else {
            throw UsageError("cannot write '\(path)': its directory '\(directory)' does not exist; create it first")
        }
    }

    /// Refuses to start writing `needed` bytes that the file system holding `path` has no room for.
    /// The whole size counts even when replacing a file: the new file is complete before the old goes.
    /// - Throws: ``UsageError`` saying how much is needed and how much is free.
    static func checkFreeSpace(needed: Int, for path: String, shrink: String) throws(UsageError) {
        let directory = FileReplacement.directory(of: path)
        let free: Int
        do { free = try FileSystem.freeBytes(atPath: directory) } catch {
            throw UsageError("cannot tell how much space is free for '\(path)': \(error)")
        }
        guard needed > free else { return }
        throw UsageError(
            "'\(path)' would need up to \(ByteSize.format(needed)) but the file system holding '\(directory)' has only "
                + "\(ByteSize.format(free)) free; choose \(shrink), or another place")
    }
}

/// `spindle generate` could not write its file (exit code 1); the partial file is already removed.
struct GenerateFailure: Error, CustomStringConvertible {
    /// One sentence naming the file and the cause.
    var message: String
    var description: String { message }
}
