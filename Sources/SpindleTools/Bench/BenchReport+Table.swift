extension BenchReport {
    /// The printed summary: a heading, tables of time, phases and memory, and the baseline verdict.
    /// Ends with a newline. This is also what `summary.txt` holds.
    func text() -> String {
        var lines = heading()
        lines += ["", "Wall time in seconds, whole `spindle run` process; speedup relative to \(workersPhrase(referenceWorkers))"]
        lines += timeTable().lines()
        lines += ["", "Phases: median seconds of the stages in _SUCCESS; bytes shuffled from maps to reducers"]
        lines += phaseTable().lines()
        lines += ["", "Peak resident memory, median over the repeats"]
        lines += memoryTable().lines()
        if let verdict { lines += ["", verdict] }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The oversubscription warning, or nil when every worker count fits the cores.
    var oversubscriptionWarning: String? {
        guard !oversubscribedWorkerCounts.isEmpty else { return nil }
        let cores = context.cores
        return "this machine has \(cores) core\(cores == 1 ? "" : "s"); numbers above \(cores) workers measure oversubscription, not scaling"
    }

    private func heading() -> [String] {
        let repeats = context.repeats
        var lines = [
            "spindle bench \(context.job): \(repeats) run\(repeats == 1 ? "" : "s") per worker count, \(context.cores) cores, \(context.date)"
        ]
        var input = "input: " + (context.inputs.isEmpty ? "the job's sample data" : context.inputs.joined(separator: " "))
        if let bytes = SampleSummary.median(runs.compactMap(\.inputBytes)) { input += " (\(BenchFormat.bytes(bytes)) read by the maps)" }
        lines.append(input)
        if let command = context.baselineCommand { lines.append("baseline: \(command)") }
        if let warning = oversubscriptionWarning { lines.append("note: \(warning)") }
        return lines
    }

    private func timeTable() -> TextTable {
        var table = TextTable(header: ["workers", "median", "min", "max", "speedup", "efficiency"])
        if baseline != nil { table.header.append("time/baseline") }
        if let baseline {
            table.rows.append(["baseline"] + times(baseline.time) + ["-", "-", "1.00"])
        }
        for row in rows {
            var cells = [String(row.workers)] + times(row.time) + [BenchFormat.ratio(row.speedup), BenchFormat.ratio(row.efficiency)]
            if baseline != nil { cells.append(BenchFormat.ratio(row.timeRatio)) }
            table.rows.append(cells)
        }
        return table
    }

    private func phaseTable() -> TextTable {
        let keys = phaseColumns.flatMap(Self.phaseKeys)
        var table = TextTable(
            header: ["workers"]
                + keys.map { key in
                    phaseColumns.contains { $0.repeated && $0.phase == key } ? "\(key) (all)" : key
                } + ["shuffled"])
        for row in rows {
            table.rows.append([String(row.workers)] + keys.map { BenchFormat.seconds(row.phaseSeconds[$0]) } + [BenchFormat.bytes(row.shuffleBytes)])
        }
        return table
    }

    private func memoryTable() -> TextTable {
        var table = TextTable(header: ["workers", "coordinator", "max worker", "all processes"])
        if baseline != nil { table.header.append("memory/baseline") }
        if let baseline {
            let ratio = baseline.peakBytes == nil ? "-" : "1.00"
            table.rows.append(["baseline", "-", "-", BenchFormat.bytes(baseline.peakBytes), ratio])
        }
        for row in rows {
            var cells = [
                String(row.workers), BenchFormat.bytes(row.coordinatorPeak), BenchFormat.bytes(row.maxWorkerPeak), BenchFormat.bytes(row.totalPeak),
            ]
            if baseline != nil { cells.append(BenchFormat.ratio(row.memoryRatio)) }
            table.rows.append(cells)
        }
        return table
    }

    private func times(_ summary: SampleSummary) -> [String] {
        [BenchFormat.seconds(summary.median), BenchFormat.seconds(summary.min), BenchFormat.seconds(summary.max)]
    }

    private func workersPhrase(_ n: Int) -> String {
        n == 1 ? "1 worker" : "\(n) workers"
    }
}
