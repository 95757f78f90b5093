import Glibc
import SpindleCore

extension FileIdentity {
    /// The identity of the file open as `fd` (fstat on the descriptor, so it describes the very file that is
    /// read, whatever its path names by now). `path` is for the error only.
    /// - Throws: `SystemError` of fstat.
    package static func of(fd: Int32, path: String) throws(SystemError) -> FileIdentity {
        var st = stat()
        try SystemError.check("fstat", path) { fstat(fd, &st) }
        return FileIdentity(stat: st)
    }

    /// The identity of the file at `path`, following symbolic links.
    /// - Throws: `SystemError` of stat.
    package static func of(path: String) throws(SystemError) -> FileIdentity {
        var st = stat()
        try SystemError.check("stat", path) { stat(path, &st) }
        return FileIdentity(stat: st)
    }

    init(stat st: stat) {
        self.init(
            device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int(st.st_size), modifiedSeconds: Int64(st.st_mtim.tv_sec),
            modifiedNanoseconds: Int32(st.st_mtim.tv_nsec), machine: FileIdentity.thisMachine)
    }

    /// This kernel's boot id (`/proc/sys/kernel/random/boot_id`), or the host name where there is none: two
    /// processes with the same value see the same device and inode numbers.
    package static let thisMachine: String = {
        if let bytes = try? FileSystem.readFile("/proc/sys/kernel/random/boot_id") {
            let text = String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace }
            if !text.isEmpty { return text }
        }
        return SystemInfo.hostName()
    }()
}
