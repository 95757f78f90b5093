import Glibc

/// Transparent huge pages for a worker's heap. Where the kernel hands out huge pages only to memory that asks for
/// them (`/sys/kernel/mm/transparent_hugepage/enabled` is `madvise`, the common default), glibc's malloc asks for
/// them when the tunable `glibc.malloc.hugetlb=1` is set, which glibc reads once, at process start. A worker's
/// graph arrays, id maps and message buffers are hundreds of megabytes walked in random order; with 4 KiB pages
/// nearly every access there also misses the TLB. R-MAT scale 22 PageRank, 2 workers, on this project's machine:
/// supersteps 0.24–0.34 s → 0.15–0.23 s, prepare 7.0–11.2 s → 4.5–7.8 s.
///
/// Local workers get the tunable in their environment from the coordinator (``childEnvironment()``); a worker
/// started by hand re-executes itself once with it (``reexecuteIfNeeded(arguments:)``). `SPINDLE_HUGE_PAGES=0`
/// (or `off`, `false`, `no`) turns both off; a `GLIBC_TUNABLES` that already sets `glibc.malloc.hugetlb` is left as it is.
package enum HugePages {
    static let tunable = "glibc.malloc.hugetlb"
    static let tunablesVariable = "GLIBC_TUNABLES"
    /// Set in the environment of a process re-executed for huge pages, so that it is never re-executed twice.
    static let reexecutedVariable = "SPINDLE_HUGE_PAGES_REEXECUTED"

    /// `GLIBC_TUNABLES` with the huge-page tunable added to `current` (tunables are `name=value` pairs joined by
    /// `:`); nil when `current` sets that tunable already.
    package static func tunables(adding current: String?) -> String? {
        guard let current, !current.isEmpty else { return "\(tunable)=1" }
        let names = current.split(separator: ":").map { $0.split(separator: "=", maxSplits: 1).first.map(String.init) ?? "" }
        if names.contains(tunable) { return nil }
        return "\(current):\(tunable)=1"
    }

    /// Whether Spindle asks for huge pages: unless `SPINDLE_HUGE_PAGES` is `0`, `off`, `false` or `no` (any case).
    package static func wanted(_ setting: String?) -> Bool {
        guard let setting else { return true }
        return !["0", "off", "false", "no"].contains(setting.lowercased())
    }

    /// Whether this kernel gives huge pages only to memory that asks (`[madvise]`), read from `enabled`.
    package static func onlyWhenAsked(enabled: String) -> Bool { enabled.contains("[madvise]") }

    /// What to add to a worker child's environment: the tunable, unless turned off or already set.
    package static func childEnvironment() -> [String: String] {
        guard wanted(SystemInfo.environment("SPINDLE_HUGE_PAGES")),
            let value = tunables(adding: SystemInfo.environment(tunablesVariable))
        else { return [:] }
        return [tunablesVariable: value]
    }

    /// Replaces this process (same pid, same `arguments`, `/proc/self/exe`) with one started with the huge-page
    /// tunable, when the kernel gives huge pages only on request and the process lacks it. Call it first thing,
    /// before any thread or descriptor exists. Returns when nothing needs doing or the exec failed (the process
    /// then runs with small pages).
    package static func reexecuteIfNeeded(arguments: [String]) {
        guard wanted(SystemInfo.environment("SPINDLE_HUGE_PAGES")), SystemInfo.environment(reexecutedVariable) == nil,
            let enabled = try? FileSystem.readFile("/sys/kernel/mm/transparent_hugepage/enabled"),
            onlyWhenAsked(enabled: String(decoding: enabled, as: UTF8.self)),
            let value = tunables(adding: SystemInfo.environment(tunablesVariable))
        else { return }
        let argv = CStringArray(arguments)
        let envp = CStringArray(ChildProcess.mergedEnvironment([tunablesVariable: value, reexecutedVariable: "1"]))
        _ = argv.withPointer { a in envp.withPointer { e in execve("/proc/self/exe", a, e) } }
    }
}
