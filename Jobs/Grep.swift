import Spindle
import SpindleTools
import SpindleCore

/// `grep`: the lines containing `--param pattern=TEXT` (a plain substring, compared as bytes).
/// Output: `file:line<TAB>text`, with the file's base name, the 1-based line number and the line as
/// UTF-8 text (invalid bytes shown as U+FFFD; tabs and backslashes escaped), in input order.
public enum Grep {
    public static var job: Job { definition.job }

    static var definition: MapReduceJob<ByteString, String> {
        MapReduceJob(
            name: "grep", summary: "Find the lines that contain a substring",
            parameters: [JobParameter("pattern", .string, default: nil, help: "the text to look for")],
            defaultInput: { [try SampleData.textCorpus()] },
            lineNumbers: true,
            makeMap: { parameters in
                let pattern = Array(parameters.string("pattern").utf8)
                return { record, output in
                    guard contains(record.bytes, pattern) else { return }
                    let line = try record.lineNumber
                    output.emit(ByteString("\(record.fileName):\(line)"), record.text)
                }
            },
            formatValue: { $0 })
    }

    /// Whether `haystack` contains `needle` (an empty needle matches every line).
    static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard haystack.count >= needle.count else { return false }
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }
}
