import SpindleCore
import SpindlePosix

/// Where an attempt writes a file meant for the output directory: its temporary name under
/// `OUTPUT/_temporary` when the worker sees the output directory, or its scratch directory when it does not;
/// then ``deliver()`` streams a scratch copy to the coordinator (which stores it under the same temporary
/// name) and removes it. Either way the coordinator commits the attempt's file as before, so the exactly-once
/// rules do not change: a file of an attempt that does not commit is never renamed into place.
struct PartFileTarget {
    /// Where the attempt writes the file.
    let path: String
    private let name: String
    private let attempt: AttemptID
    private let client: ShipClient?
    private let context: TaskContext

    init(outputDirectory: String, name: String, context: TaskContext) {
        self.name = name
        self.attempt = context.attempt
        self.context = context
        client = context.services.shipping.outputClient
        path =
            client == nil
            ? OutputCommitter.temporaryPath(outputDirectory: outputDirectory, attempt: context.attempt, name: name)
            : "\(context.scratchPrefix)-ship-\(name)"
    }

    /// After the writer finished (fsynced and closed) the file: ships it when it was written to scratch.
    func deliver() throws {
        guard let client else { return }
        defer { try? FileSystem.unlink(path) }
        try client.upload(localPath: path, attempt: attempt, name: name, context: context)
    }
}
