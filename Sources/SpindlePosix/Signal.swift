import Glibc

/// Linux signal numbers for `ChildProcess.signal(_:)` and friends, usable without Glibc.
package enum Signal {
    /// SIGHUP (1).
    package static let hangup: Int32 = SIGHUP
    /// SIGINT (2).
    package static let interrupt: Int32 = SIGINT
    /// SIGQUIT (3).
    package static let quit: Int32 = SIGQUIT
    /// SIGABRT (6).
    package static let abort: Int32 = SIGABRT
    /// SIGKILL (9): cannot be caught.
    package static let kill: Int32 = SIGKILL
    /// SIGUSR1 (10).
    package static let user1: Int32 = SIGUSR1
    /// SIGSEGV (11).
    package static let segmentationFault: Int32 = SIGSEGV
    /// SIGUSR2 (12).
    package static let user2: Int32 = SIGUSR2
    /// SIGPIPE (13).
    package static let brokenPipe: Int32 = SIGPIPE
    /// SIGTERM (15): polite termination request.
    package static let terminate: Int32 = SIGTERM
    /// SIGCHLD (17).
    package static let child: Int32 = SIGCHLD
    /// SIGSTOP (19): stops the process; it cannot be caught.
    package static let stop: Int32 = SIGSTOP
    /// SIGCONT (18): resumes a stopped process.
    package static let cont: Int32 = SIGCONT
}
