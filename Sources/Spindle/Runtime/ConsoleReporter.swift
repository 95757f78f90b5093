import Synchronization
import SpindlePosix

/// What the user sees on stderr: on a terminal one progress line rewritten in place, otherwise plain
/// log lines at phase changes. Progress only moves forward, and shows 100% only once output is committed.
final class ConsoleReporter: Sendable {
    private struct State {
        var lastLine = ""
        var lastDraw: UInt64 = 0
        var shownOnLine = false
    }
    private let isTerminal: Bool
    private let quiet: Bool
    private let state = Mutex(State())

    init(quiet: Bool = false) {
        isTerminal = SystemInfo.isTerminal(fd: 2)
        self.quiet = quiet
    }

    /// A log line (always shown, except in quiet mode).
    func log(_ message: String) {
        guard !quiet else { return }
        state.withLock { s in
            var text = "spindle: \(message)\n"
            if s.shownOnLine {
                text = "\r\u{1B}[K" + text
                s.shownOnLine = false
                s.lastLine = ""
            }
            SystemInfo.writeStandardError(text)
        }
    }

    /// The progress line; drawn at most every 100 ms, and only on a terminal.
    func progress(_ line: String) {
        guard isTerminal, !quiet else { return }
        state.withLock { s in
            let now = MonotonicClock.nanoseconds()
            guard line != s.lastLine, now - s.lastDraw > 100_000_000 else { return }
            s.lastLine = line
            s.lastDraw = now
            s.shownOnLine = true
            SystemInfo.writeStandardError("\r\u{1B}[K" + line)
        }
    }

    /// Ends the progress line, if one is shown.
    func finishLine() {
        state.withLock { s in
            if s.shownOnLine { SystemInfo.writeStandardError("\n") }
            s.shownOnLine = false
        }
    }
}
