/// The raw runs of a benchmark as `runs.csv` and `runs.json`, one record per run in the order they ran.
import Spindle
enum BenchRecords {
    /// CSV (RFC 4180, `\n` line ends) with a header line. Columns: kind, workers (empty for the baseline),
    /// repeat, wall_seconds, job_seconds, one `<stage>_seconds` per stage name, shuffle_bytes, input_bytes,
    /// peak_coordinator_bytes, peak_max_worker_bytes, peak_total_bytes, peak_worker_bytes (`;`-separated).
    /// Unknown values are empty fields.
    static func csv(_ runs: [BenchRun]) -> String {
        let stageNames = stageNames(runs)
        var header = ["kind", "workers", "repeat", "wall_seconds", "job_seconds"]
        header += stageNames.map { "\($0)_seconds" }
        header += ["shuffle_bytes", "input_bytes", "peak_coordinator_bytes", "peak_max_worker_bytes", "peak_total_bytes", "peak_worker_bytes"]
        var lines = [header.map(csvField).joined(separator: ",")]
        for run in runs {
            let stages = run.secondsByStage
            var fields = [run.kind.rawValue, text(run.workers), String(run.repeatIndex), "\(run.wallSeconds)", text(run.jobSeconds)]
            fields += stageNames.map { text(stages[$0]) }
            let peak = run.peakMemory
            fields += [text(run.shuffleBytes), text(run.inputBytes), text(peak?.coordinator), text(peak?.maxWorker), text(peak?.total)]
            fields.append(peak?.workers.map(String.init).joined(separator: ";") ?? "")
            lines.append(fields.map(csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `field` as a CSV field: quoted, with inner quotes doubled, when it holds a comma, quote, CR or LF.
    static func csvField(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return field }
        var quoted = "\""
        for character in field {
            if character == "\"" { quoted += "\"\"" } else { quoted.append(character) }
        }
        return quoted + "\""
    }

    /// A JSON object: `job`, `date`, `cores`, `inputs`, `repeats`, `baseline` (the command or null), and
    /// `runs`, each with `kind`, `workers`, `repeat`, `wallSeconds`, `jobSeconds`, `stages` (`name`, `seconds`),
    /// `shuffleBytes`, `inputBytes` and `peakResidentBytes` (`coordinator`, `workers`, `total`); unknown values are null.
    static func json(_ runs: [BenchRun], context: BenchReport.Context) -> String {
        let records: [JSONValue] = runs.map { run in
            let peak: JSONValue =
                run.peakMemory.map { peak in
                    .object([
                        ("coordinator", value(peak.coordinator)),
                        ("workers", .array(peak.workers.map { .int($0) })),
                        ("total", .int(peak.total)),
                    ])
                } ?? .null
            return .object([
                ("kind", .string(run.kind.rawValue)),
                ("workers", value(run.workers)),
                ("repeat", .int(run.repeatIndex)),
                ("wallSeconds", .double(run.wallSeconds)),
                ("jobSeconds", run.jobSeconds.map { .double($0) } ?? .null),
                ("stages", .array(run.stages.map { .object([("name", .string($0.name)), ("seconds", .double($0.seconds))]) })),
                ("shuffleBytes", value(run.shuffleBytes)),
                ("inputBytes", value(run.inputBytes)),
                ("peakResidentBytes", peak),
            ])
        }
        let document = JSONValue.object([
            ("job", .string(context.job)),
            ("date", .string(context.date)),
            ("cores", .int(context.cores)),
            ("inputs", .array(context.inputs.map { .string($0) })),
            ("repeats", .int(context.repeats)),
            ("baseline", context.baselineCommand.map { .string($0) } ?? .null),
            ("runs", .array(records)),
        ])
        return document.serialized() + "\n"
    }

    /// Distinct stage names over `runs`, in the order they first appear.
    static func stageNames(_ runs: [BenchRun]) -> [String] {
        var names: [String] = []
        for run in runs {
            for stage in run.stages where !names.contains(stage.name) { names.append(stage.name) }
        }
        return names
    }

    private static func text(_ value: Int?) -> String { value.map(String.init) ?? "" }
    private static func text(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }
    private static func value(_ number: Int?) -> JSONValue { number.map { .int($0) } ?? .null }
}
