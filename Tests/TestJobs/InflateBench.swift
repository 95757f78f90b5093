import Foundation
import SpindleCore

/// `spindle-testjobs inflate FILE.gz...`: decompresses each file with the project's ``GzipDecoder`` (read in
/// 1 MiB pieces, as the input reader does) and prints the decompressed size and throughput, for comparing
/// with `gzip -dc FILE.gz > /dev/null`. A benchmark tool, not part of any job.
enum InflateBench {
    static func run(_ paths: [String]) -> Int32 {
        for path in paths {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                FileHandle.standardError.write(Data("inflate: cannot open '\(path)'\n".utf8))
                return 1
            }
            let started = ContinuousClock.now
            let decoder = GzipDecoder()
            var pending: [UInt8] = []
            var produced = 0
            var atEnd = false
            do {
                var start = 0
                while true {
                    if pending.count - start < 512 << 10 && !atEnd {
                        pending.removeFirst(start)
                        start = 0
                        let data = handle.readData(ofLength: 1 << 20)
                        atEnd = data.isEmpty
                        pending += data
                    }
                    let step = try pending.withUnsafeBytes { try decoder.decode(UnsafeRawBufferPointer(rebasing: $0[start...]), endOfInput: atEnd) }
                    produced += step.output.count
                    start += step.consumed
                    if step.finished { break }
                }
            } catch {
                FileHandle.standardError.write(Data("inflate: '\(path)': \(error)\n".utf8))
                return 1
            }
            let seconds = Double((ContinuousClock.now - started).components.attoseconds) / 1e18
                + Double((ContinuousClock.now - started).components.seconds)
            print("\(path): \(produced) bytes in \(String(format: "%.3f", seconds)) s, \(String(format: "%.0f", Double(produced) / seconds / 1e6)) MB/s")
        }
        return 0
    }
}
