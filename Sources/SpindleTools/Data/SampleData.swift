import Spindle
import SpindlePosix

/// The small datasets jobs use when run without `--input`: shipped in `Datasets/` of the source tree,
/// or generated (deterministically, the same bytes) into a cache directory on first use elsewhere.
package enum SampleData {
    /// Size and seed of the sample corpus; `Datasets/sample-text.txt` is exactly this.
    static let textSize = 1 << 20
    static let textSeed: UInt64 = 1

    /// The path of the sample text corpus (1 MiB of generated English-like text).
    package static func textCorpus() throws -> String {
        try locate("sample-text.txt") { try TextGenerator.write(to: $0, size: textSize, seed: textSeed) }
    }

    /// Scale, edge factor and seed of the sample graph; `Datasets/sample-graph.txt` is exactly this.
    static let graphScale = 12
    static let graphEdgeFactor = 8
    static let graphSeed: UInt64 = 1

    /// The path of the sample graph (an R-MAT edge list of 4096 vertex ids and 32768 edges).
    package static func graph() throws -> String {
        try locate("sample-graph.txt") { try GraphGenerator.writeRMAT(to: $0, scale: graphScale, edgeFactor: graphEdgeFactor, seed: graphSeed) }
    }

    private static func locate(_ name: String, generate: (String) throws -> Void) throws -> String {
        let shipped = "Datasets/\(name)"
        if FileSystem.exists(shipped) { return shipped }
        let cache = (SystemInfo.environment("TMPDIR") ?? "/tmp") + "/spindle-datasets"
        let path = "\(cache)/\(name)"
        if FileSystem.exists(path) { return path }
        try FileSystem.createDirectory(cache, intermediate: true)
        let temporary = "\(path).tmp-\(SystemInfo.processID)"
        try generate(temporary)
        try FileSystem.rename(temporary, to: path)
        return path
    }
}
