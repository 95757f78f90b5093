import Glibc

/// Whole-file and directory operations on paths. Every failure throws a `SystemError` whose
/// context names the path.
package enum FileSystem {
    /// Reads the whole file (also works for files whose size is not known up front, like /proc).
    package static func readFile(_ path: String) throws -> [UInt8] {
        let fd = try SystemError.check("open", path) { Glibc.open(path, O_RDONLY | O_CLOEXEC) }
        defer { _ = Glibc.close(fd) }
        var st = stat()
        try SystemError.check("fstat", path) { fstat(fd, &st) }
        let expected = max(Int(st.st_size), 0)
        // Size 0 (procfs) skips the uninitialized-capacity initializer: with capacity 0 it stores the count
        // into the shared empty-array singleton, a write that threads reading /proc at once race on.
        var result: [UInt8] = []
        if expected > 0 {
            result = try [UInt8](unsafeUninitializedCapacity: expected) { buffer, initialized in
                initialized = try LibC.readFully(fd, UnsafeMutableRawBufferPointer(buffer), path)
            }
        }
        if result.count == expected {
            // The size was unknown (procfs) or the file grew: read on in chunks until EOF.
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = try chunk.withUnsafeMutableBytes { try LibC.readFully(fd, $0, path) }
                result.append(contentsOf: chunk[0..<n])
                if n < chunk.count { break }
            }
        }
        return result
    }

    /// Replaces `path` with `bytes` so readers see either the old or the new content: writes
    /// `.<name>.tmp-<pid>-<random>` in the same directory, fsyncs it, renames it over `path`,
    /// then fsyncs the directory. The temp file is removed if anything fails before the rename.
    package static func writeFileAtomically(_ path: String, _ bytes: [UInt8]) throws {
        let (directory, name) = split(path)
        let suffix = SecureRandom.bytes(6).map { String($0, radix: 16) }.joined()
        let temp = "\(directory)/.\(name).tmp-\(getpid())-\(suffix)"
        let fd = try SystemError.check("open", temp) {
            Glibc.open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        }
        do {
            try bytes.withUnsafeBytes { try LibC.writeFully(fd, $0, temp) }
            try SystemError.check("fsync", temp) { fsync(fd) }
            let closing = fd
            try LibC.closeFD(closing, temp)
        } catch {
            _ = Glibc.close(fd)
            _ = Glibc.unlink(temp)
            throw error
        }
        do {
            try rename(temp, to: path)
        } catch {
            _ = Glibc.unlink(temp)
            throw error
        }
        try syncDirectory(directory)
    }

    /// Creates a directory (mode 0755 before umask); with `intermediate`, also its missing
    /// parents. An existing directory is fine; an existing non-directory throws EEXIST.
    package static func createDirectory(_ path: String, intermediate: Bool) throws {
        while true {
            if mkdir(path, 0o755) == 0 { return }
            let code = Glibc.errno
            switch code {
            case EINTR:
                continue
            case EEXIST:
                if isDirectory(path) { return }
                throw SystemError(call: "mkdir", errno: code, context: path)
            case ENOENT where intermediate:
                let parent = split(path).directory
                if parent == path || parent == "." || parent == "/" {
                    throw SystemError(call: "mkdir", errno: code, context: path)
                }
                try createDirectory(parent, intermediate: true)
                if mkdir(path, 0o755) == 0 || (Glibc.errno == EEXIST && isDirectory(path)) { return }
                throw SystemError.fromErrno("mkdir", path)
            default:
                throw SystemError(call: "mkdir", errno: code, context: path)
            }
        }
    }

    /// Deletes `path` and, if it is a directory, everything below it (like `rm -rf`).
    /// Symbolic links are removed, never followed. A missing path is fine.
    package static func removeTree(_ path: String) throws {
        var st = stat()
        if lstat(path, &st) == -1 {
            if Glibc.errno == ENOENT { return }
            throw SystemError.fromErrno("lstat", path)
        }
        guard LibC.isDirectoryMode(st.st_mode) else {
            try unlink(path)
            return
        }
        for name in try listDirectory(path) {
            try removeTree(path.hasSuffix("/") ? path + name : path + "/" + name)
        }
        if Glibc.rmdir(path) == -1 && Glibc.errno != ENOENT {
            throw SystemError.fromErrno("rmdir", path)
        }
    }

    /// True if `path` exists (following symbolic links).
    package static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// True if `path` is a directory (following symbolic links).
    package static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && LibC.isDirectoryMode(st.st_mode)
    }

    /// True if this process may read `path`.
    package static func isReadable(_ path: String) -> Bool {
        access(path, R_OK) == 0
    }

    /// The size of the file at `path` in bytes (following symbolic links).
    package static func fileSize(_ path: String) throws -> Int {
        var st = stat()
        try SystemError.check("stat", path) { stat(path, &st) }
        return Int(st.st_size)
    }

    /// The entry names in directory `path`, without "." and "..", sorted bytewise (UTF-8).
    package static func listDirectory(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw SystemError.fromErrno("opendir", path) }
        defer { closedir(dir) }
        var names: [String] = []
        while true {
            Glibc.errno = 0
            guard let entry = readdir(dir) else {
                if Glibc.errno != 0 { throw SystemError.fromErrno("readdir", path) }
                break
            }
            let name = withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: tuple.pointee)) {
                    String(cString: $0)
                }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        names.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return names
    }

    /// Renames `from` to `to`, atomically replacing `to` if it exists (same filesystem only).
    package static func rename(_ from: String, to: String) throws {
        try SystemError.check("rename", "\(from) to \(to)") { Glibc.rename(from, to) }
    }

    /// Makes directory `path`'s entries durable (fsync on the directory itself). Filesystems
    /// that cannot fsync directories (EINVAL) are tolerated.
    package static func syncDirectory(_ path: String) throws {
        let fd = try SystemError.check("open", path) {
            Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        }
        defer { _ = Glibc.close(fd) }
        if fsync(fd) == -1 && Glibc.errno != EINVAL && Glibc.errno != EINTR {
            throw SystemError.fromErrno("fsync", path)
        }
    }

    /// Makes the contents of the existing file at `path` durable (fsync).
    package static func syncFile(_ path: String) throws {
        let fd = try SystemError.check("open", path) { Glibc.open(path, O_RDONLY | O_CLOEXEC) }
        defer { _ = Glibc.close(fd) }
        _ = try SystemError.check("fsync", path) { fsync(fd) }
    }

    /// Deletes the file (or symbolic link) at `path`; a missing path is fine.
    package static func unlink(_ path: String) throws {
        if Glibc.unlink(path) == -1 && Glibc.errno != ENOENT {
            throw SystemError.fromErrno("unlink", path)
        }
    }

    /// Creates a fresh private directory `<$TMPDIR or /tmp>/<prefix>XXXXXX` (mkdtemp, mode 0700)
    /// and returns its path; e.g. prefix "spindle-" gives "/tmp/spindle-Ab12Cd".
    package static func makeTemporaryDirectory(prefix: String) throws -> String {
        var base = SystemInfo.environment("TMPDIR") ?? ""
        if base.isEmpty { base = "/tmp" }
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        var template = Array("\(base)/\(prefix)XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else {
            throw SystemError.fromErrno("mkdtemp", "\(base)/\(prefix)XXXXXX")
        }
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// `path` made absolute against the current directory, with "." and empty components
    /// removed and ".." resolved lexically (symbolic links are not consulted).
    package static func absolutePath(_ path: String) -> String {
        var full = path
        if !path.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let cwd = getcwd(&buffer, buffer.count) != nil
                ? buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) } : "/"
            full = cwd + "/" + path
        }
        var parts: [Substring] = []
        for part in full.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The paths matching a shell `pattern` (glob(3)), sorted bytewise; none matching gives [].
    package static func glob(_ pattern: String) throws -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        let rc = Glibc.glob(pattern, 0, nil, &result)
        if rc == GLOB_NOMATCH { return [] }
        if rc != 0 {
            throw SystemError(call: "glob", errno: rc == GLOB_NOSPACE ? ENOMEM : EIO, context: pattern)
        }
        var paths: [String] = []
        paths.reserveCapacity(Int(result.gl_pathc))
        for i in 0..<Int(result.gl_pathc) {
            if let p = result.gl_pathv[i] { paths.append(String(cString: p)) }
        }
        paths.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return paths
    }

    /// Bytes available to unprivileged users on the filesystem holding `path` (statvfs).
    package static func freeBytes(atPath path: String) throws -> Int {
        var info = statvfs()
        try SystemError.check("statvfs", path) { statvfs(path, &info) }
        let total = UInt64(info.f_bavail).multipliedReportingOverflow(by: UInt64(info.f_frsize))
        return total.overflow || total.partialValue > UInt64(Int.max) ? Int.max : Int(total.partialValue)
    }

    /// Splits `path` into its directory ("." when there is none) and last component.
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = slash == path.startIndex ? "/" : String(path[..<slash])
        return (directory, String(path[path.index(after: slash)...]))
    }
}
