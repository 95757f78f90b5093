import Glibc

/// Path resolution: what a path names once symbolic links, "." and ".." are resolved the way the
/// kernel resolves them, so that two paths can be compared by their strings.
extension FileSystem {
    /// The canonical absolute path of the existing `path` (realpath(3)): every symbolic link, "."
    /// and ".." resolved, no trailing "/".
    /// - Throws: `SystemError` for realpath, e.g. ENOENT when some component does not exist.
    package static func realPath(_ path: String) throws(SystemError) -> String {
        guard let resolved = Glibc.realpath(path, nil) else { throw SystemError.fromErrno("realpath", path) }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `path` resolved as far as it exists: the real path of its deepest existing ancestor (relative
    /// paths start at the current directory), followed by the components that do not exist yet, with
    /// "." dropped and ".." removing the component before it. For an existing path this is
    /// ``realPath(_:)``; for a path about to be created it is what the kernel will create.
    /// - Throws: `SystemError` when a component cannot be resolved for another reason than not
    ///   existing (EACCES, ELOOP, ...), or when the current directory cannot be read.
    package static func resolvedPath(_ path: String) throws(SystemError) -> String {
        let absolute = path.hasPrefix("/") ? path : try currentDirectory() + "/" + path
        var existing = absolute.split(separator: "/", omittingEmptySubsequences: true)
        var missing: [Substring] = []
        var base: String
        while true {
            do {
                base = try realPath("/" + existing.joined(separator: "/"))
                break
            } catch let error where error.errno == ENOENT || error.errno == ENOTDIR {
                guard let last = existing.popLast() else { throw error }  // "/" itself always exists
                missing.append(last)
            }
        }
        var components = base.split(separator: "/", omittingEmptySubsequences: true)
        for component in missing.reversed() {
            switch component {
            case ".": continue
            case "..": _ = components.popLast()
            default: components.append(component)
            }
        }
        return "/" + components.joined(separator: "/")
    }

    /// The current working directory (getcwd), as the kernel has it: absolute and without symbolic links.
    package static func currentDirectory() throws(SystemError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { throw SystemError.fromErrno("getcwd") }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// The user's home directory: `$HOME` when it is set to an absolute path, else the password
    /// database's entry for this user (getpwuid_r); nil when neither is known.
    package static func homeDirectory() -> String? {
        if let home = SystemInfo.environment("HOME"), home.hasPrefix("/") { return home }
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        let code = getpwuid_r(getuid(), &entry, &buffer, buffer.count, &result)
        guard code == 0, result != nil, let directory = entry.pw_dir else { return nil }
        return String(cString: directory)
    }

    /// Removes the directory `path` if it is empty (rmdir) and returns whether it did; a directory
    /// that is not empty, or a missing path, is left alone and gives false.
    /// - Throws: `SystemError` for rmdir failures other than ENOTEMPTY, EEXIST and ENOENT.
    @discardableResult
    package static func removeDirectoryIfEmpty(_ path: String) throws(SystemError) -> Bool {
        if Glibc.rmdir(path) == 0 { return true }
        let code = Glibc.errno
        if code == ENOTEMPTY || code == EEXIST || code == ENOENT { return false }
        throw SystemError(call: "rmdir", errno: code, context: path)
    }
}
