import Glibc
import Synchronization

/// Turns SIGINT and SIGTERM into a flag that a process's own loop checks, so cleanup runs on an ordinary
/// thread and never inside a signal handler.
///
/// The handler does only async-signal-safe work: it records the first signal in an atomic and writes one
/// byte to a non-blocking self-pipe (``wakeFD`` becomes readable, so a `poll` wakes at once). It is
/// installed with `SA_RESETHAND`: a second signal of the same kind takes its default action and ends the
/// process at once, the escape hatch when a clean stop hangs. A signal whose repeats carry no new request
/// (a parent-death signal, which the kernel may send several times for one death) can be installed to keep
/// its handler instead. A signal that was ignored when the process started (`nohup`, a background job of a
/// non-interactive shell) stays ignored.
package enum TerminationSignals {
    /// The first signal caught, 0 for none. Read by the handler, so it is initialized before installation.
    private static let caughtSignal = Atomic<Int32>(0)
    /// The write end of the self-pipe, -1 before installation.
    private static let pipeWriteFD = Atomic<Int32>(-1)
    /// The self-pipe (created once, never closed: it lives as long as the process) and the signals handled.
    private static let installed = Mutex<(pipe: WakeupPipe?, signals: Set<Int32>)>((nil, []))

    /// Installs the handler for `signals` (default SIGINT and SIGTERM). Signals already handled are skipped.
    /// - Parameter repeatable: those of `signals` whose handler stays after the first one is caught, so that a
    ///   repeat is one more no-op instead of ending the process before it cleans up (no escape hatch for them).
    /// - Throws: ``SystemError`` when the pipe or `sigaction` fails.
    package static func install(_ signals: [Int32] = [SIGINT, SIGTERM], repeatable: Set<Int32> = []) throws {
        try installed.withLock { state in
            if state.pipe == nil {
                let made = try WakeupPipe()
                _ = caughtSignal.load(ordering: .relaxed)
                pipeWriteFD.store(made.writeFD, ordering: .sequentiallyConsistent)
                state.pipe = made
            }
            for signo in signals where !state.signals.contains(signo) {
                state.signals.insert(signo)
                var previous = sigaction()
                try SystemError.check("sigaction", "signal \(signo)") { sigaction(signo, nil, &previous) }
                let ignored = unsafeBitCast(SIG_IGN, to: UnsafeRawPointer?.self)
                if unsafeBitCast(previous.__sigaction_handler.sa_handler, to: UnsafeRawPointer?.self) == ignored { continue }
                var action = sigaction()
                action.__sigaction_handler.sa_handler = terminationHandler
                sigemptyset(&action.sa_mask)
                action.sa_flags = SA_RESTART | (repeatable.contains(signo) ? 0 : Int32(bitPattern: UInt32(SA_RESETHAND)))
                try SystemError.check("sigaction", "signal \(signo)") { sigaction(signo, &action, nil) }
            }
        }
    }

    /// The first termination signal caught since ``install(_:)``, or nil.
    package static var caught: Int32? {
        let value = caughtSignal.load(ordering: .acquiring)
        return value == 0 ? nil : value
    }

    /// A descriptor that becomes readable when a signal is caught (poll it for `.readable`); -1 before
    /// ``install(_:)``. Do not read or close it.
    package static var wakeFD: Int32 { installed.withLock { $0.pipe?.readFD ?? -1 } }

    /// The conventional exit code of a process stopped by `signal`: 128 + the signal number (130 for SIGINT,
    /// 143 for SIGTERM).
    package static func exitCode(for signal: Int32) -> Int32 { 128 + signal }

    /// "SIGINT", "SIGTERM", or "signal N".
    package static func name(_ signal: Int32) -> String { ExitStatus.signalName(signal) ?? "signal \(signal)" }

    fileprivate static func record(_ signo: Int32) {
        _ = caughtSignal.compareExchange(expected: 0, desired: signo, ordering: .acquiringAndReleasing)
        let fd = pipeWriteFD.load(ordering: .relaxed)
        if fd >= 0 {
            var byte = UInt8(truncatingIfNeeded: signo)
            _ = Glibc.write(fd, &byte, 1)
        }
    }
}

/// The signal handler: async-signal-safe work only (an atomic store and one `write`), errno preserved.
private let terminationHandler: @convention(c) (Int32) -> Void = { signo in
    let saved = Glibc.errno
    TerminationSignals.record(signo)
    Glibc.errno = saved
}
