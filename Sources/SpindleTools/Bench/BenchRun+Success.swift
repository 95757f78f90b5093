import Spindle
import Foundation

extension BenchRun {
    /// A Spindle run built from the text of its output's `_SUCCESS` file.
    ///
    /// Reads `seconds`, `stages` (`name`, `seconds`), the counters `shuffle.bytes` and `map.input.bytes`
    /// and `peakResidentBytes` (`coordinator`, `workers`); fields that are absent stay nil or empty.
    /// - Throws: `BenchFailure` when the text is not a JSON object.
    static func spindle(workers: Int, repeatIndex: Int, wallSeconds: Double, success: [UInt8]) throws -> BenchRun {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(success))
        } catch {
            throw BenchFailure("_SUCCESS of the run with \(workers) workers is not valid JSON: \(error)")
        }
        guard let object = parsed as? [String: Any] else {
            throw BenchFailure("_SUCCESS of the run with \(workers) workers is not a JSON object")
        }
        var run = BenchRun(kind: .spindle, workers: workers, repeatIndex: repeatIndex, wallSeconds: wallSeconds)
        run.jobSeconds = Self.number(object["seconds"])?.doubleValue
        if let stages = object["stages"] as? [Any] {
            run.stages = stages.compactMap { item in
                guard let stage = item as? [String: Any], let name = stage["name"] as? String,
                    let seconds = Self.number(stage["seconds"])?.doubleValue
                else { return nil }
                return StageTime(name: name, seconds: seconds)
            }
        }
        if let counters = object["counters"] as? [String: Any] {
            run.shuffleBytes = Self.number(counters["shuffle.bytes"])?.intValue
            run.inputBytes = Self.number(counters["map.input.bytes"])?.intValue
        }
        if let peak = object["peakResidentBytes"] as? [String: Any], let coordinator = Self.number(peak["coordinator"])?.intValue {
            let workerPeaks = (peak["workers"] as? [Any] ?? []).compactMap { Self.number($0)?.intValue }
            run.peakMemory = PeakMemory(coordinator: coordinator, workers: workerPeaks)
        }
        return run
    }

    /// `value` as a JSON number, if it is one.
    private static func number(_ value: Any?) -> NSNumber? {
        value as? NSNumber
    }
}

/// A benchmark that could not be completed: a run failed or its results were unreadable.
struct BenchFailure: Error, CustomStringConvertible {
    /// What went wrong, for the user; may span several lines (a run's stderr tail).
    let description: String

    /// Creates a failure with `description` shown verbatim.
    init(_ description: String) { self.description = description }
}
