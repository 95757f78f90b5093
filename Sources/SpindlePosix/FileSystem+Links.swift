import Glibc

/// Symbolic links as links: what one points at, without following it.
extension FileSystem {
    /// The target stored in the symbolic link `path` (readlink(2), as written, possibly relative), or nil
    /// when `path` does not exist or is not a symbolic link.
    package static func symbolicLinkTarget(_ path: String) -> String? {
        var st = stat()
        guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFLNK else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// True when `path` is a symbolic link whose target does not exist (following every link in the chain).
    package static func isDanglingLink(_ path: String) -> Bool {
        symbolicLinkTarget(path) != nil && !exists(path)
    }
}
