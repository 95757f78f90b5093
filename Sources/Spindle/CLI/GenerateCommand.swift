import SpindleCore
import SpindlePosix

/// `spindle generate text|graph ... OUT`: writes deterministic test data.
enum GenerateCommand {
    static func execute(_ arguments: ParsedArguments) throws -> Int32 {
        let positionals = arguments.positionals
        guard positionals.count == 2 else {
            throw UsageError("'spindle generate' needs a kind (text or graph) and an output path, e.g. 'spindle generate text --size 512MiB out.txt'")
        }
        let (kind, path) = (positionals[0], positionals[1])
        let seed = UInt64(try arguments.int("seed", default: 1, range: 0...Int.max))
        let started = MonotonicClock.nanoseconds()
        switch kind {
        case "text":
            let size = try arguments.size("size", default: 64 << 20)
            guard size > 0 else { throw UsageError("--size must be at least 1 byte") }
            try TextGenerator.write(to: path, size: size, seed: seed)
        case "graph":
            guard arguments.flag("rmat") else { throw UsageError("'spindle generate graph' needs --rmat (the only graph model so far)") }
            let scale = try arguments.int("scale", default: 16, range: 1...40)
            let edgeFactor = try arguments.int("edge-factor", default: 16, range: 1...1024)
            try GraphGenerator.writeRMAT(to: path, scale: scale, edgeFactor: edgeFactor, seed: seed)
        default:
            throw UsageError("unknown data kind '\(kind)' for 'spindle generate'; use text or graph")
        }
        let seconds = Double(MonotonicClock.nanoseconds() - started) / 1e9
        SystemInfo.writeStandardError("spindle: wrote \(ByteSize.format(try FileSystem.fileSize(path))) to \(path) in \(formatSeconds(seconds))\n")
        return 0
    }
}
