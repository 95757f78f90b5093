import Glibc

/// Linux errno values other modules may test `SystemError.errno` against without importing Glibc.
package enum Errno {
    /// EINTR: interrupted by a signal.
    package static let interrupted: Int32 = EINTR
    /// EAGAIN/EWOULDBLOCK: would block, or an SO_SNDTIMEO/SO_RCVTIMEO timeout expired.
    package static let wouldBlock: Int32 = EAGAIN
    /// ETIMEDOUT: a connect (or other) timeout expired.
    package static let timedOut: Int32 = ETIMEDOUT
    /// ECONNREFUSED: nobody listens on the port.
    package static let connectionRefused: Int32 = ECONNREFUSED
    /// ECONNRESET: the peer reset the connection.
    package static let connectionReset: Int32 = ECONNRESET
    /// ECONNABORTED: the connection was aborted locally.
    package static let connectionAborted: Int32 = ECONNABORTED
    /// EPIPE: writing to a connection or pipe whose reader is gone.
    package static let brokenPipe: Int32 = EPIPE
    /// ENOTCONN: the socket is not connected.
    package static let notConnected: Int32 = ENOTCONN
    /// EADDRINUSE: the address is already bound.
    package static let addressInUse: Int32 = EADDRINUSE
    /// EHOSTUNREACH: no route to the host.
    package static let hostUnreachable: Int32 = EHOSTUNREACH
    /// ENETUNREACH: the network is unreachable.
    package static let networkUnreachable: Int32 = ENETUNREACH
    /// ENOENT: no such file or directory.
    package static let noSuchFile: Int32 = ENOENT
    /// EEXIST: the file already exists.
    package static let fileExists: Int32 = EEXIST
    /// ENOTDIR: a path component is not a directory.
    package static let notDirectory: Int32 = ENOTDIR
    /// EISDIR: the path is a directory.
    package static let isDirectory: Int32 = EISDIR
    /// EACCES: permission denied.
    package static let permissionDenied: Int32 = EACCES
    /// ENOSPC: no space left on the device.
    package static let noSpace: Int32 = ENOSPC
    /// EBADF: the fd is not open (e.g. used after close).
    package static let badFileDescriptor: Int32 = EBADF
    /// ECHILD: no such child (already reaped).
    package static let noChild: Int32 = ECHILD
    /// ESRCH: no such process.
    package static let noSuchProcess: Int32 = ESRCH
}

extension SystemError {
    /// True for timeouts: EAGAIN from a socket timeout, or ETIMEDOUT.
    package var isTimeout: Bool { errno == EAGAIN || errno == EWOULDBLOCK || errno == ETIMEDOUT }

    /// True when the peer went away: EPIPE, ECONNRESET, ECONNABORTED or ENOTCONN.
    package var isConnectionLost: Bool {
        errno == EPIPE || errno == ECONNRESET || errno == ECONNABORTED || errno == ENOTCONN
    }

    /// True for ENOENT.
    package var isNotFound: Bool { errno == ENOENT }
}
