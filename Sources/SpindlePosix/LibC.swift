import Glibc

/// Internal helpers around Glibc: conversions, deadlines, fd flags, and GNU calls that the Swift
/// Glibc module does not import (found with dlsym; none of them is variadic except prctl).
enum LibC {
    // MARK: Duration conversions

    /// Whole nanoseconds in `d`, clamped to 0 for negative values and to Int64.max.
    static func nanoseconds(_ d: Duration) -> Int64 {
        let (seconds, attoseconds) = d.components
        if seconds < 0 || (seconds == 0 && attoseconds <= 0) { return 0 }
        if seconds >= Int64.max / 1_000_000_000 - 1 { return Int64.max }
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// A poll(2) timeout in milliseconds, rounded up so a short wait does not become a spin.
    static func pollMilliseconds(_ nanos: Int64) -> Int32 {
        if nanos <= 0 { return 0 }
        let ms = (nanos / 1_000_000) + (nanos % 1_000_000 == 0 ? 0 : 1)
        return ms > Int64(Int32.max) ? Int32.max : Int32(ms)
    }

    /// `d` as a timeval (for SO_SNDTIMEO/SO_RCVTIMEO); negative becomes zero.
    static func timeval(_ d: Duration) -> Glibc.timeval {
        let ns = nanoseconds(d)
        return Glibc.timeval(tv_sec: Int(ns / 1_000_000_000), tv_usec: Int((ns % 1_000_000_000) / 1000))
    }

    /// The CLOCK_MONOTONIC reading in nanoseconds.
    static func monotonicNow() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// A point on the monotonic clock `d` from now; `remaining` counts down to zero.
    struct Deadline {
        let end: Int64
        init(after d: Duration) {
            let ns = LibC.nanoseconds(d)
            let now = LibC.monotonicNow()
            end = ns > Int64.max - now ? Int64.max : now + ns
        }
        /// Nanoseconds left, never negative.
        var remaining: Int64 { max(0, end - LibC.monotonicNow()) }
        var hasPassed: Bool { LibC.monotonicNow() >= end }
    }

    // MARK: fd helpers

    /// Closes `fd` once; EINTR is not retried (on Linux the fd is gone anyway).
    static func closeFD(_ fd: Int32, _ context: String) throws(SystemError) {
        if Glibc.close(fd) == -1 {
            let code = Glibc.errno
            if code != EINTR { throw SystemError(call: "close", errno: code, context: context) }
        }
    }

    /// Sets or clears O_NONBLOCK on `fd`.
    static func setNonBlocking(_ fd: Int32, _ on: Bool, _ context: String) throws(SystemError) {
        let flags = try SystemError.check("fcntl(F_GETFL)", context) { fcntl(fd, F_GETFL) }
        let wanted = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK
        if wanted != flags {
            try SystemError.check("fcntl(F_SETFL)", context) { fcntl(fd, F_SETFL, wanted) }
        }
    }

    /// Sets FD_CLOEXEC on `fd`.
    static func setCloseOnExec(_ fd: Int32, _ context: String) throws(SystemError) {
        let flags = try SystemError.check("fcntl(F_GETFD)", context) { fcntl(fd, F_GETFD) }
        try SystemError.check("fcntl(F_SETFD)", context) { fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
    }

    /// Sets an Int32 socket option.
    static func setSocketOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32,
                                _ call: String, _ context: String) throws(SystemError) {
        var v = value
        try SystemError.check(call, context) {
            setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// Reads until `buffer` is full or EOF; returns the bytes read. Retries on EINTR.
    static func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer,
                          _ context: String) throws(SystemError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var total = 0
        while total < buffer.count {
            let n = try SystemError.check("read", context) { Glibc.read(fd, base + total, buffer.count - total) }
            if n == 0 { break }
            total += n
        }
        return total
    }

    /// Writes every byte of `bytes`, looping over partial writes. Retries on EINTR.
    static func writeFully(_ fd: Int32, _ bytes: UnsafeRawBufferPointer,
                           _ context: String) throws(SystemError) {
        guard let base = bytes.baseAddress else { return }
        var total = 0
        while total < bytes.count {
            total += try SystemError.check("write", context) { Glibc.write(fd, base + total, bytes.count - total) }
        }
    }

    /// True when `mode` (a stat st_mode) describes a directory.
    static func isDirectoryMode(_ mode: mode_t) -> Bool { mode & S_IFMT == S_IFDIR }

    // MARK: GNU calls not imported by the Glibc module

    typealias Accept4 = @convention(c) (Int32, UnsafeMutablePointer<sockaddr>?,
                                        UnsafeMutablePointer<socklen_t>?, Int32) -> Int32
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32
    typealias GetRandom = @convention(c) (UnsafeMutableRawPointer?, Int, UInt32) -> Int
    /// prctl is variadic in C; on x86_64 and aarch64 Linux integer arguments are passed the
    /// same way for variadic and fixed calls, so a fixed five-argument prototype is safe.
    typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32

    static let accept4: Accept4? = symbol("accept4")
    static let pipe2: Pipe2? = symbol("pipe2")
    static let getrandom: GetRandom? = symbol("getrandom")
    static let prctl: Prctl? = symbol("prctl")
    typealias SchedGetAffinity = @convention(c) (pid_t, Int, UnsafeMutableRawPointer?) -> Int32
    static let schedGetAffinity: SchedGetAffinity? = symbol("sched_getaffinity")

    // epoll(7): sys/epoll.h is not part of the Glibc module (``Epoll`` lays out `struct epoll_event` itself).
    typealias EpollCreate1 = @convention(c) (Int32) -> Int32
    typealias EpollControl = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
    typealias EpollWait = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32
    static let epollCreate1: EpollCreate1? = symbol("epoll_create1")
    static let epollControl: EpollControl? = symbol("epoll_ctl")
    static let epollWait: EpollWait? = symbol("epoll_wait")

    private static func symbol<F>(_ name: String) -> F? {
        guard let handle = dlopen(nil, RTLD_NOW), let sym = dlsym(handle, name) else { return nil }
        return unsafeBitCast(sym, to: F.self)
    }

    /// SOCK_CLOEXEC / SOCK_NONBLOCK as plain Int32 flags for socket(2) types.
    static let sockCloexec = Int32(SOCK_CLOEXEC.rawValue)
    static let sockStream = Int32(SOCK_STREAM.rawValue)
}
