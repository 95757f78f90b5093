import Glibc

extension FileSystem {
    /// The permission bits of `path` (`st_mode & 0o7777`), following symbolic links.
    /// - Throws: ``SystemError`` from `stat` naming the path.
    package static func permissions(_ path: String) throws(SystemError) -> UInt32 {
        var st = stat()
        try SystemError.check("stat", path) { stat(path, &st) }
        return UInt32(st.st_mode) & 0o7777
    }
}

extension SystemInfo {
    /// The value of environment variable `name` as raw bytes (no UTF-8 decoding, so no byte is replaced).
    package static func environmentBytes(_ name: String) -> [UInt8]? {
        guard let value = getenv(name) else { return nil }
        return Array(UnsafeRawBufferPointer(start: value, count: strlen(value)))
    }
}
