/// What identifies one version of a file: where it lives (device and inode), its size and its modification
/// time to the nanosecond, as `fstat` gives them, and the machine they were taken on.
///
/// The planner records it for every input file; each task compares the file it opens with it
/// (``changes(since:)``), so a file replaced, truncated, grown or rewritten while a job runs is noticed
/// instead of silently giving part of the data. Device and inode numbers are only compared when both
/// identities come from the same running kernel (the same `machine`, its boot id): another host that
/// mounts the same files over NFS numbers devices in its own way.
package struct FileIdentity: Sendable, Equatable, WireCodable {
    /// The device holding the file (`st_dev`).
    package var device: UInt64
    /// The file's inode number (`st_ino`).
    package var inode: UInt64
    /// The file's size in bytes (`st_size`).
    package var size: Int
    /// The modification time (`st_mtim`): whole seconds since 1970 and nanoseconds within the second.
    package var modifiedSeconds: Int64
    package var modifiedNanoseconds: Int32
    /// The machine (kernel boot id) the identity was taken on; empty when unknown.
    package var machine: String

    package init(device: UInt64, inode: UInt64, size: Int, modifiedSeconds: Int64, modifiedNanoseconds: Int32, machine: String) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modifiedSeconds = modifiedSeconds
        self.modifiedNanoseconds = modifiedNanoseconds
        self.machine = machine
    }

    package func encode(to w: inout WireWriter) {
        w.write(device); w.write(inode); w.write(size); w.write(modifiedSeconds); w.write(modifiedNanoseconds); w.write(machine)
    }

    package init(from r: inout WireReader) throws {
        device = try r.read(UInt64.self); inode = try r.read(UInt64.self); size = try r.read(Int.self)
        modifiedSeconds = try r.read(Int64.self); modifiedNanoseconds = try r.read(Int32.self); machine = try r.read(String.self)
    }

    /// What changed from `planned` to this identity, as a clause for a sentence ("its size went from 10 to
    /// 4 bytes"), or nil when nothing did. A replacement and a size change are both named (joined with
    /// "and"); a new modification time only when it is the one change.
    package func changes(since planned: FileIdentity) -> String? {
        var changes: [String] = []
        if machine == planned.machine && !machine.isEmpty && (device != planned.device || inode != planned.inode) {
            let place = device == planned.device ? "" : " on device \(device), was on device \(planned.device)"
            changes.append("it was replaced by another file (inode \(planned.inode) became inode \(inode)\(place))")
        }
        if size != planned.size {
            changes.append("its size went from \(planned.size) to \(size) bytes")
        }
        if changes.isEmpty && (modifiedSeconds != planned.modifiedSeconds || modifiedNanoseconds != planned.modifiedNanoseconds) {
            changes.append("it was modified (its modification time went from \(planned.modifiedText) to \(modifiedText))")
        }
        return changes.isEmpty ? nil : changes.joined(separator: " and ")
    }

    /// The modification time as seconds since 1970 with nine decimals, e.g. "1765022233.000000042".
    package var modifiedText: String {
        let nanos = String(modifiedNanoseconds)
        return "\(modifiedSeconds).\(String(repeating: "0", count: max(0, 9 - nanos.count)))\(nanos)"
    }
}
