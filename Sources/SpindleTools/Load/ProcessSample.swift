import SpindlePosix

/// A process's CPU time and memory from `/proc/PID/stat` and `/proc/PID/status` (Linux): how much of a core the
/// coordinator under load used, read from outside it.
package struct ProcessSample: Sendable, Equatable {
    /// User and system CPU seconds so far (clock ticks of 1/100 s).
    package var userSeconds: Double
    package var systemSeconds: Double
    /// Peak resident set (VmHWM), bytes; 0 once the process is a zombie.
    package var peakResidentBytes: Int
    /// The state letter (`R`, `S`, `Z`, ...).
    package var state: Character

    package var cpuSeconds: Double { userSeconds + systemSeconds }

    /// Reads process `pid`; nil when it is gone (reaped) or the files cannot be parsed.
    package static func read(pid: Int32) -> ProcessSample? {
        guard let stat = try? FileSystem.readFile("/proc/\(pid)/stat"), let close = stat.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        // After "pid (comm) ": state is field 3; utime and stime are fields 14 and 15.
        let fields = stat[(close + 2)...].split(separator: UInt8(ascii: " "))
        guard fields.count > 13, let user = Int(String(decoding: fields[11], as: UTF8.self)),
            let system = Int(String(decoding: fields[12], as: UTF8.self))
        else { return nil }
        var peak = 0
        if let status = try? FileSystem.readFile("/proc/\(pid)/status") {
            for line in String(decoding: status, as: UTF8.self).split(separator: "\n") where line.hasPrefix("VmHWM:") {
                peak = (Int(String(line.dropFirst(6).filter(\.isNumber))) ?? 0) * 1024  // "VmHWM:\t  1234 kB"
            }
        }
        return ProcessSample(
            userSeconds: Double(user) / 100, systemSeconds: Double(system) / 100, peakResidentBytes: peak,
            state: Character(UnicodeScalar(fields[0].first ?? UInt8(ascii: "?"))))
    }

    /// The 1-, 5- and 15-minute load averages of the machine (`/proc/loadavg`), as text.
    package static func loadAverage() -> String {
        guard let bytes = try? FileSystem.readFile("/proc/loadavg") else { return "unknown" }
        return String(decoding: bytes, as: UTF8.self).split(separator: " ").prefix(3).joined(separator: " ")
    }
}
