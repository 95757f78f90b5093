/// Identifies one run of one process so that pid reuse cannot fool a liveness check: the kernel's boot id,
/// the pid, and the process's start time in clock ticks since boot (field 22 of `/proc/PID/stat`).
///
/// Written into Spindle's scratch directories as their ownership record (``text``), and parsed back
/// (``init(text:)``) by a later run that decides whether the owner is gone.
package struct ProcessStamp: Equatable, Sendable, CustomStringConvertible {
    /// `/proc/sys/kernel/random/boot_id`: changes at every boot, so a stamp from before a reboot never matches.
    package var bootID: String
    /// The process id.
    package var pid: Int32
    /// Start time in clock ticks since boot.
    package var startTime: UInt64

    package init(bootID: String, pid: Int32, startTime: UInt64) {
        self.bootID = bootID
        self.pid = pid
        self.startTime = startTime
    }

    /// The first line of every ownership record; a file without it is not Spindle's.
    package static let header = "spindle scratch owner v1"

    /// The ownership record: the header, then `boot`, `pid` and `start` lines.
    package var text: String { "\(Self.header)\nboot \(bootID)\npid \(pid)\nstart \(startTime)\n" }

    /// Parses an ownership record written by ``text``; nil for anything else (never guesses).
    package init?(text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 4, lines[0] == Self.header else { return nil }
        var fields: [Substring: Substring] = [:]
        for line in lines.dropFirst() where !line.isEmpty {
            guard let space = line.firstIndex(of: " ") else { return nil }
            fields[line[..<space]] = line[line.index(after: space)...]
        }
        guard let boot = fields["boot"], !boot.isEmpty, let pidText = fields["pid"], let pid = Int32(pidText), pid > 0,
            let startText = fields["start"], let start = UInt64(startText)
        else { return nil }
        self.init(bootID: String(boot), pid: pid, startTime: start)
    }

    /// "pid 123 (started at tick 456)".
    package var description: String { "pid \(pid) (started at tick \(startTime))" }

    /// What `/proc/PID/stat` says about a process: its state letter and start time; nil when the line is malformed.
    ///
    /// The command name (field 2) is in parentheses and may itself hold spaces and parentheses, so fields are
    /// counted from the last `)`: state is field 3, start time field 22.
    package static func parseStat(_ line: String) -> (state: Character, startTime: UInt64)? {
        guard let close = line.lastIndex(of: ")") else { return nil }
        let rest = line[line.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        // rest[0] is field 3 (state); field 22 is rest[19].
        guard rest.count >= 20, let state = rest[0].first, let start = UInt64(rest[19]) else { return nil }
        return (state, start)
    }
}
