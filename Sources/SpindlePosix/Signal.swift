import Glibc

/// Linux signal numbers for `ChildProcess.signal(_:)` and friends, usable without Glibc.
public enum Signal {
    /// SIGHUP (1).
    public static let hangup: Int32 = SIGHUP
    /// SIGINT (2).
    public static let interrupt: Int32 = SIGINT
    /// SIGQUIT (3).
    public static let quit: Int32 = SIGQUIT
    /// SIGABRT (6).
    public static let abort: Int32 = SIGABRT
    /// SIGKILL (9): cannot be caught.
    public static let kill: Int32 = SIGKILL
    /// SIGUSR1 (10).
    public static let user1: Int32 = SIGUSR1
    /// SIGSEGV (11).
    public static let segmentationFault: Int32 = SIGSEGV
    /// SIGUSR2 (12).
    public static let user2: Int32 = SIGUSR2
    /// SIGPIPE (13).
    public static let brokenPipe: Int32 = SIGPIPE
    /// SIGTERM (15): polite termination request.
    public static let terminate: Int32 = SIGTERM
    /// SIGCHLD (17).
    public static let child: Int32 = SIGCHLD
    /// SIGSTOP (19): stops the process; it cannot be caught.
    public static let stop: Int32 = SIGSTOP
    /// SIGCONT (18): resumes a stopped process.
    public static let cont: Int32 = SIGCONT
}
