import Spindle
import SpindleTools
import SpindleCore

/// `sort`: the input lines in byte order (as `LC_ALL=C sort`), TeraSort style: keys sampled from the
/// input set the split points of a range partitioner, so the part files in order are the sorted input.
public enum Sort {
    public static var job: Job { definition.job }

    static var definition: MapReduceJob<ByteString, Int> {
        MapReduceJob(
            name: "sort", summary: "Sort the lines of text files (total order across part files)",
            defaultInput: { [try SampleData.textCorpus()] },
            partitioning: .totalOrder(samples: 20_000),
            map: { record, output in output.emit(keyBytes: record.bytes, 1) },
            reduce: { line, counts, output in
                var copies = 0
                for count in counts { copies += count }
                try line.bytes.withUnsafeBytes { bytes in
                    for _ in 0..<copies { try output.writeLine(bytes) }
                }
            })
    }
}
