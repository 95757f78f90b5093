import Glibc

/// A whole file mapped read-only into memory (mmap PROT_READ, MAP_PRIVATE, MADV_SEQUENTIAL).
///
/// Sendable because the mapping is immutable and read-only; it is unmapped in deinit, so keep
/// the MappedFile alive while using `bytes`. An empty file maps nothing and gives empty bytes.
///
/// For Spindle's own scratch files (shuffle outputs, spills, fetched segments), never for inputs a user
/// owns: if the file shrinks while mapped, reading past its new end gives zeros instead of SIGBUS (see
/// ``MappingFaults``) and ``wasTruncated`` turns true; the blocks' checksums reject the zeros.
package final class MappedFile: @unchecked Sendable {
    /// The mapped length in bytes (the file size when opened).
    package let count: Int
    private let base: UnsafeRawPointer?
    /// The mapping's slot in ``MappingFaults`` (nil: not protected, or nothing mapped).
    private let faultSlot: Int?

    /// Maps the file at `path`; the fd is closed again right away.
    package init(path: String) throws {
        let fd = try SystemError.check("open", path) { Glibc.open(path, O_RDONLY | O_CLOEXEC) }
        defer { _ = Glibc.close(fd) }
        var st = stat()
        try SystemError.check("fstat", path) { fstat(fd, &st) }
        count = Int(st.st_size)
        if count == 0 {
            base = nil
            faultSlot = nil
            return
        }
        guard let address = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED else {
            throw SystemError.fromErrno("mmap", path)
        }
        _ = madvise(address, count, MADV_SEQUENTIAL)
        base = UnsafeRawPointer(address)
        faultSlot = MappingFaults.register(UnsafeRawPointer(address), count: count)
    }

    deinit {
        if let faultSlot { MappingFaults.unregister(faultSlot) }
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    /// Whether the file shrank under the mapping and a read past its new end was given zeros.
    package var wasTruncated: Bool {
        guard let faultSlot else { return false }
        return MappingFaults.wasTruncated(faultSlot)
    }

    /// Lets the kernel take back this process's copies of the whole pages inside `range` (bytes already read):
    /// they stop counting towards the resident set, and reading them again faults them back in from the page
    /// cache. Keeps a process that streams through large mapped files within its memory budget.
    package func releasePages(_ range: Range<Int>) {
        guard let base else { return }
        let start = (max(0, range.lowerBound) + Self.pageSize - 1) / Self.pageSize * Self.pageSize
        let end = min(range.upperBound, count) / Self.pageSize * Self.pageSize
        guard start < end else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }

    private static let pageSize = max(4096, Int(sysconf(Int32(_SC_PAGESIZE))))

    /// The file's bytes; valid while this object is alive.
    package var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base, count: count)
    }
}
