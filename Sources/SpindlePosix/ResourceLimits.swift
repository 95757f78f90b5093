import Glibc

/// The process's limit on open file descriptors (RLIMIT_NOFILE), and the share of it that connections may use.
package enum ResourceLimits {
    /// The soft and hard RLIMIT_NOFILE (an unlimited value is reported as `Int.max`).
    package static func openFiles() throws(SystemError) -> (soft: Int, hard: Int) {
        var limit = rlimit()
        try SystemError.check("getrlimit(RLIMIT_NOFILE)", "for this process") {
            getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        }
        return (clamp(limit.rlim_cur), clamp(limit.rlim_max))
    }

    /// Raises the soft RLIMIT_NOFILE to the hard limit (as servers such as PostgreSQL and OpenSSH's sshd
    /// take what they are allowed) and returns the soft limit now in force. Call once at start.
    @discardableResult
    package static func raiseOpenFilesToHardLimit() throws(SystemError) -> Int {
        var limit = rlimit()
        try SystemError.check("getrlimit(RLIMIT_NOFILE)", "for this process") {
            getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            try SystemError.check("setrlimit(RLIMIT_NOFILE)", "raising the soft limit to \(limit.rlim_max)") {
                setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &raised)
            }
            return clamp(raised.rlim_cur)
        }
        return clamp(limit.rlim_cur)
    }

    /// How many descriptors a process with a soft limit of `soft` keeps free of network connections, for
    /// output files, spills, commits and checkpoints: a quarter of the limit, at least 32 and at most 1024.
    package static func descriptorReserve(soft: Int) -> Int { min(1024, max(32, soft / 4)) }

    /// How many connections a process with a soft limit of `soft` may hold open at once: the limit less
    /// ``descriptorReserve(soft:)``, but never fewer than 16.
    package static func connectionLimit(soft: Int) -> Int { max(16, soft - descriptorReserve(soft: soft)) }

    private static func clamp(_ value: rlim_t) -> Int { value > rlim_t(Int.max) ? Int.max : Int(value) }
}
