import Glibc

/// A failed system call: which call, its errno, and what it was acting on.
///
/// `description` reads like "connect to 127.0.0.1:7070 failed: Connection refused (errno 111)".
/// For `getaddrinfo` failures `errno` holds the (negative) `EAI_*` code instead of an errno.
package struct SystemError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The name of the failing call, e.g. "connect" or "open".
    package let call: String
    /// The errno value captured right after the call (or an `EAI_*` code for getaddrinfo).
    package let errno: Int32
    /// What the call acted on, e.g. "to 127.0.0.1:7070" or a path; may be empty.
    package let context: String

    /// Creates an error from its parts.
    package init(call: String, errno: Int32, context: String = "") {
        self.call = call
        self.errno = errno
        self.context = context
    }

    /// The human-readable text of `errno` (strerror, or gai_strerror for getaddrinfo codes).
    package var message: String {
        if call == "getaddrinfo" && errno < 0 {
            return String(cString: gai_strerror(errno))
        }
        guard let text = strerror(errno) else { return "Unknown error" }
        return String(cString: text)
    }

    /// "<call> <context> failed: <strerror> (errno N)", plus what to do when a file system is full.
    package var description: String {
        let subject = context.isEmpty ? call : "\(call) \(context)"
        let hint = errno == ENOSPC || errno == EDQUOT ? "; free space on that file system or use another one" : ""
        return "\(subject) failed: \(message) (errno \(errno))\(hint)"
    }

    /// Runs `body`, a call returning -1 and setting errno on failure; retries on EINTR and
    /// throws a `SystemError` naming `call` and `context` on any other failure.
    @inlinable @discardableResult
    package static func check<T: FixedWidthInteger>(
        _ call: String, _ context: @autoclosure () -> String = "", _ body: () -> T
    ) throws(SystemError) -> T {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = Glibc.errno
            if code == EINTR { continue }
            throw SystemError(call: call, errno: code, context: context())
        }
    }

    /// Runs `body`, a call that returns 0 on success or an errno value directly (pthread/posix_spawn
    /// style); retries on EINTR and throws on any other nonzero result.
    @inlinable
    package static func checkReturn(
        _ call: String, _ context: @autoclosure () -> String = "", _ body: () -> Int32
    ) throws(SystemError) {
        while true {
            let code = body()
            if code == 0 { return }
            if code == EINTR { continue }
            throw SystemError(call: call, errno: code, context: context())
        }
    }

    /// Makes an error from the current errno value for `call`; use right after a failed call.
    @inlinable
    package static func fromErrno(_ call: String, _ context: String = "") -> SystemError {
        SystemError(call: call, errno: Glibc.errno, context: context)
    }
}
