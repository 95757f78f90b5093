import Glibc
import SpindleCore

/// Whether a process recorded in a ``ProcessStamp`` still runs, read from `/proc` (Linux).
package enum ProcessLiveness {
    /// This process's stamp; nil when `/proc` cannot be read.
    package static func currentStamp() -> ProcessStamp? {
        stamp(of: getpid())
    }

    /// The stamp of the running process `pid`; nil when there is no such process, it is a zombie, or `/proc`
    /// cannot be read.
    package static func stamp(of pid: Int32) -> ProcessStamp? {
        guard let boot = bootID(),
            let bytes = try? FileSystem.readFile("/proc/\(pid)/stat"),
            let stat = ProcessStamp.parseStat(String(decoding: bytes, as: UTF8.self)),
            stat.state != "Z" && stat.state != "X"
        else { return nil }
        return ProcessStamp(bootID: boot, pid: pid, startTime: stat.startTime)
    }

    /// Whether the process `stamp` describes still runs: same boot, same pid, same start time.
    /// A reused pid (another start time) or a reboot (another boot id) count as gone.
    package static func isRunning(_ stamp: ProcessStamp) -> Bool {
        self.stamp(of: stamp.pid) == stamp
    }

    /// `/proc/sys/kernel/random/boot_id` without its newline; nil when it cannot be read.
    package static func bootID() -> String? {
        guard let bytes = try? FileSystem.readFile("/proc/sys/kernel/random/boot_id") else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        return text.isEmpty ? nil : text
    }

    /// Whether `path` is a real directory (not a symbolic link) owned by this process's user.
    package static func isOwnDirectory(_ path: String) -> Bool {
        var st = stat()
        guard lstat(path, &st) == 0 else { return false }
        return (st.st_mode & S_IFMT) == S_IFDIR && st.st_uid == getuid()
    }
}
