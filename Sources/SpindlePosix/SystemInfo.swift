import Glibc

/// Facts about, and a few settings of, the current process and host.
package enum SystemInfo {
    /// The absolute path of the running executable (readlink /proc/self/exe); "" if unreadable.
    package static func currentExecutablePath() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return "" }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// This process's id.
    package static var processID: Int32 { getpid() }

    /// The number of CPUs this process may run on (its affinity mask, else the online CPUs);
    /// at least 1.
    package static func cpuCount() -> Int {
        if let getAffinity = LibC.schedGetAffinity {
            var mask = [UInt64](repeating: 0, count: 16)  // 1024 CPUs, like cpu_set_t
            let ok = mask.withUnsafeMutableBytes { getAffinity(0, $0.count, $0.baseAddress) } == 0
            let count = mask.reduce(0) { $0 + $1.nonzeroBitCount }
            if ok && count > 0 { return count }
        }
        return max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }

    /// This process's own peak resident set size in bytes: `VmHWM` of /proc/self/status, else getrusage's
    /// ru_maxrss × 1024. Not ru_maxrss first: Linux carries it across execve, so a process started by a large
    /// parent (`swift run`, a test runner; posix_spawn's child shares the parent's memory until it execs)
    /// would report the parent's peak as its own.
    package static func peakResidentBytes() -> Int {
        if let status = try? FileSystem.readFile("/proc/self/status"), let kib = statusField("VmHWM:", in: status) {
            return kib * 1024
        }
        return maxRSS(RUSAGE_SELF.rawValue)
    }

    /// The number of a `/proc/PID/status` line such as `VmHWM:   123456 kB`, or nil when the field is missing.
    static func statusField(_ name: String, in status: [UInt8]) -> Int? {
        for line in status.split(separator: UInt8(ascii: "\n")) where line.starts(with: name.utf8) {
            let digits = line.dropFirst(name.utf8.count).drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
                .prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            return digits.isEmpty ? nil : Int(String(decoding: digits, as: UTF8.self))
        }
        return nil
    }

    /// The largest peak resident set size among waited-for children, in bytes.
    package static func peakResidentBytesOfChildren() -> Int {
        maxRSS(RUSAGE_CHILDREN.rawValue)
    }

    private static func maxRSS(_ who: Int32) -> Int {
        var usage = rusage()
        guard getrusage(who, &usage) == 0 else { return 0 }
        return usage.ru_maxrss * 1024
    }

    /// The value of environment variable `name`, or nil when unset.
    package static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }

    /// True if `fd` refers to a terminal.
    package static func isTerminal(fd: Int32) -> Bool {
        isatty(fd) == 1
    }

    /// Asks the kernel to send `sig` to this process when its parent thread dies
    /// (prctl PR_SET_PDEATHSIG). Best effort: failures are ignored.
    ///
    /// The kernel sends `sig` again each time the orphan is handed on: when a multithreaded parent dies (by
    /// SIGKILL too) its threads exit one by one and the child passes through each survivor, one signal per step
    /// (two or more are common). Its handler MUST take every repeat as the same request.
    package static func setParentDeathSignal(_ sig: Int32) {
        let prSetPdeathsig: Int32 = 1
        _ = LibC.prctl?(prSetPdeathsig, UInt(sig), 0, 0, 0)
    }

    /// Makes malloc keep freed memory for reuse (heap allocations up to 32 MiB, no trimming) instead of
    /// returning it to the kernel: a process that allocates and frees large buffers every round then stops
    /// paying for fresh zeroed pages each time. All threads share one arena (unless `MALLOC_ARENA_MAX` says
    /// otherwise), so that what one thread freed is reused by the next instead of being kept per thread: a
    /// PageRank worker's peak (graph buffers built by one thread, messages by others) fell by 6%, from 301 to 284 MiB.
    package static func keepFreedMemoryForReuse() {
        // <malloc.h> is not part of the Glibc module: look mallopt up, with its option numbers from that header.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let trimThreshold: Int32 = -1
        let mmapThreshold: Int32 = -3
        let arenaMax: Int32 = -8
        _ = mallopt(mmapThreshold, 32 << 20)
        _ = mallopt(trimThreshold, Int32.max)
        if getenv("MALLOC_ARENA_MAX") == nil { _ = mallopt(arenaMax, 1) }
    }

    /// Ignores SIGPIPE process-wide so writes to closed pipes/sockets fail with EPIPE instead.
    package static func ignoreBrokenPipe() {
        _ = Glibc.signal(SIGPIPE, SIG_IGN)
    }

    /// This machine's host name ("" if it cannot be read).
    package static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// Ends the process with `code`, running atexit handlers and flushing stdio.
    package static func exit(_ code: Int32) -> Never {
        Glibc.exit(code)
    }

    /// Writes `text` straight to fd 2 with write(2), unbuffered; errors are ignored.
    package static func writeStandardError(_ text: String) {
        var text = text
        text.withUTF8 { writeIgnoringErrors(2, UnsafeRawBufferPointer($0)) }
    }

    /// Writes `bytes` straight to fd 1 with write(2), unbuffered; errors are ignored.
    package static func writeStandardOutput(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { writeIgnoringErrors(1, $0) }
    }

    private static func writeIgnoringErrors(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) {
        _ = try? LibC.writeFully(fd, bytes, "fd \(fd)")
    }
}
