import SpindleCore

/// Settings every worker of a superstep job (Pregel or BSP) gets.
struct SuperstepSettings: WireCodable, Sendable {
    var partitions: Int
    /// Bytes of buffered output (edges or messages) before a spill.
    var bufferBytes: Int
    var maxRecord: Int
    var skipBadRecords: Bool
    var outputDirectory: String
    var checkpointDirectory: String

    init(partitions: Int, bufferBytes: Int, maxRecord: Int, skipBadRecords: Bool, outputDirectory: String, checkpointDirectory: String) {
        self.partitions = partitions; self.bufferBytes = bufferBytes; self.maxRecord = maxRecord; self.skipBadRecords = skipBadRecords
        self.outputDirectory = outputDirectory; self.checkpointDirectory = checkpointDirectory
    }
    func encode(to w: inout WireWriter) {
        w.write(partitions); w.write(bufferBytes); w.write(maxRecord); w.write(skipBadRecords); w.write(outputDirectory); w.write(checkpointDirectory)
    }
    init(from r: inout WireReader) throws {
        partitions = try r.read(Int.self); bufferBytes = try r.read(Int.self); maxRecord = try r.read(Int.self);
        skipBadRecords = try r.read(Bool.self)
        outputDirectory = try r.read(String.self); checkpointDirectory = try r.read(String.self)
    }
}
