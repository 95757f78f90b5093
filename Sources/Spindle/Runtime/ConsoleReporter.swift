import Synchronization
import SpindleCore
import SpindlePosix

/// What the user sees on stderr. On a terminal, one progress line rewritten in place; otherwise (a pipe, a
/// file) a plain progress line when nothing was printed for ``plainInterval``. Progress only moves forward,
/// and shows 100% only once output is committed.
///
/// Stages are reported when they end. A run of numbered stages of one kind (`superstep 0`, `superstep 1`,
/// ...) is summed up in one line when nothing was printed for ``plainInterval`` (and one when the run
/// ends), with the run's wall time, so that 10,000 supersteps print a line every 5 s, not 10,000 lines.
final class ConsoleReporter: Sendable {
    /// Completed numbered stages of one kind, not yet reported.
    private struct StageRun {
        var kind: String
        var first: Int
        var last: Int
        var tasks = 0
        /// When the first of them started, by the monotonic clock in nanoseconds.
        var started: UInt64
        /// When the last of them ended.
        var ended: UInt64
    }
    private struct State {
        var lastLine = ""
        var lastDraw: UInt64 = 0
        var shownOnLine = false
        /// When a line was last printed (or the reporter was made): plain progress waits ``plainInterval`` after it.
        var lastPrinted: UInt64
        var pending: StageRun?
    }
    /// How often, at most, a plain progress line or a summary of numbered stages is printed: 5 s.
    static let plainInterval: UInt64 = 5_000_000_000
    /// Counters that count the good input records of each engine (MapReduce, Pregel, BSP).
    static let recordCounters = ["map.input.records", "graph.edges", "input.records"]

    private let isTerminal: Bool
    private let quiet: Bool
    private let prefix: String
    private let state: Mutex<State>

    init(quiet: Bool = false) {
        isTerminal = SystemInfo.isTerminal(fd: 2)
        self.quiet = quiet
        prefix = ProgramName.current
        state = Mutex(State(lastPrinted: MonotonicClock.nanoseconds()))
    }

    /// A log line (always shown, except in quiet mode), after any numbered stages not yet reported.
    func log(_ message: String) {
        guard !quiet else { return }
        state.withLock { s in
            flushStages(&s)
            write(message, &s)
        }
    }

    /// Reports that stage `name` completed its `tasks` tasks in `seconds`: at once for a stage whose name does
    /// not end in a number; for a numbered one, with the others of its kind once nothing was printed for
    /// ``plainInterval`` or when a line of another kind comes.
    func stageCompleted(_ name: String, tasks: Int, seconds: Double) {
        guard !quiet else { return }
        state.withLock { s in
            guard let (kind, number) = Self.numbered(name) else {
                flushStages(&s)
                write("\(name) done: \(tasks) tasks in \(formatSeconds(seconds))", &s)
                return
            }
            let now = MonotonicClock.nanoseconds()
            if let run = s.pending, run.kind != kind { flushStages(&s) }
            let began = now - min(now, UInt64(max(0, seconds) * 1e9))
            var run = s.pending ?? StageRun(kind: kind, first: number, last: number, started: began, ended: now)
            run.last = number
            run.tasks += tasks
            run.ended = now
            s.pending = run
            if now - s.lastPrinted >= Self.plainInterval { flushStages(&s) }
        }
    }

    /// The progress line: on a terminal drawn at most every 100 ms; elsewhere printed as a plain line when
    /// nothing was printed for ``plainInterval`` (or, during a run of numbered stages, the run so far instead).
    func progress(_ line: String) {
        guard !quiet else { return }
        state.withLock { s in
            let now = MonotonicClock.nanoseconds()
            guard isTerminal else {
                guard now - s.lastPrinted >= Self.plainInterval else { return }
                // Between numbered stages, the stages done so far say more than the current one's first tasks.
                if s.pending != nil { flushStages(&s) } else { write(line, &s) }
                return
            }
            guard line != s.lastLine, now - s.lastDraw > 100_000_000 else { return }
            s.lastLine = line
            s.lastDraw = now
            s.shownOnLine = true
            SystemInfo.writeStandardError("\r\u{1B}[K" + line)
        }
    }

    /// After a successful job: the number of records `--skip-bad-records` skipped (when the flag was given
    /// or any was skipped), and a warning when every record was.
    func reportSkippedRecords(counters: [(String, Int)], skipBadRecords: Bool) {
        guard let line = Self.skippedRecordsLine(counters: counters, skipBadRecords: skipBadRecords) else { return }
        log(line)
    }

    /// The line ``reportSkippedRecords(counters:skipBadRecords:)`` prints, or nil for none.
    static func skippedRecordsLine(counters: [(String, Int)], skipBadRecords: Bool) -> String? {
        let skipped = counters.first { $0.0 == CounterName.skippedRecords }?.1 ?? 0
        guard skipBadRecords || skipped > 0 else { return nil }
        let read = counters.filter { recordCounters.contains($0.0) }.reduce(0) { $0 + $1.1 }
        let records = "\(skipped) bad record\(skipped == 1 ? "" : "s")"
        if skipped > 0 && read == 0 {
            return "warning: every input record was bad and skipped (\(records)), so the output is empty; check the input's format"
        }
        return "skipped \(records) (--skip-bad-records); \(read) good record\(read == 1 ? "" : "s") read"
    }

    /// Ends the progress line, if one is shown, after reporting the numbered stages not yet reported.
    func finishLine() {
        state.withLock { s in
            if !quiet { flushStages(&s) }
            if s.shownOnLine { SystemInfo.writeStandardError("\n") }
            s.shownOnLine = false
        }
    }

    // MARK: - Helpers

    private func write(_ message: String, _ s: inout State) {
        var text = "\(prefix): \(message)\n"
        if s.shownOnLine {
            text = "\r\u{1B}[K" + text
            s.shownOnLine = false
            s.lastLine = ""
        }
        s.lastPrinted = MonotonicClock.nanoseconds()
        SystemInfo.writeStandardError(text)
    }

    private func flushStages(_ s: inout State) {
        guard let run = s.pending else { return }
        s.pending = nil
        let names = run.first == run.last ? "\(run.kind) \(run.first)" : "\(run.kind)s \(run.first) to \(run.last)"
        write("\(names) done: \(run.tasks) tasks in \(formatSeconds(Double(run.ended - run.started) / 1e9))", &s)
    }

    /// `("superstep", 12)` for `superstep 12`; nil for a name that does not end in a space and a number.
    static func numbered(_ name: String) -> (kind: String, number: Int)? {
        guard let space = name.lastIndex(of: " "), let number = Int(name[name.index(after: space)...]), number >= 0 else { return nil }
        return (String(name[..<space]), number)
    }
}
