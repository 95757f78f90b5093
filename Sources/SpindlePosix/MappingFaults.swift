import Glibc
import Synchronization

/// Keeps a file that shrinks under a mapping from killing the process: reading a mapped page that lies
/// past the end of its file raises SIGBUS, and shuffle and spill files are mapped. For a fault inside a
/// registered mapping, the handler maps a page of zeros over the faulting page and marks the mapping
/// truncated; the read then sees zeros, which the blocks' CRC32C checks reject as corrupt data (so the map
/// task that made the file runs again), and ``MappedFile/wasTruncated`` tells. Faults anywhere else go to
/// the handler that was installed before (the Swift runtime's crash reporter or the default action).
///
/// The handler only reads the registry (plain loads of slots published before the mapping was used by
/// whichever thread faults) and calls `mmap` and `sigaction`, which are system calls safe in a handler.
enum MappingFaults {
    /// Mappings that can be protected at once; more are mapped unprotected (as every mapping was before).
    static let capacity = 1 << 16

    /// Registers `base..<base+count`; returns the slot, or nil when the registry is full.
    static func register(_ base: UnsafeRawPointer, count: Int) -> Int? {
        _ = installed
        guard let slots = registry else { return nil }
        return freeSlots.withLock { state -> Int? in
            let slot: Int
            if let reused = state.free.popLast() {
                slot = reused
            } else if state.highWater < capacity {
                slot = state.highWater
                state.highWater += 1
            } else {
                return nil
            }
            slots[3 * slot + 1] = Int(bitPattern: base) + count
            slots[3 * slot + 2] = 0
            slots[3 * slot] = Int(bitPattern: base)
            highWater = state.highWater
            return slot
        }
    }

    /// Forgets a slot; call before unmapping.
    static func unregister(_ slot: Int) {
        guard let slots = registry else { return }
        freeSlots.withLock { state in
            slots[3 * slot] = 0
            state.free.append(slot)
        }
    }

    /// Whether a fault inside the slot's mapping was turned into zeros.
    static func wasTruncated(_ slot: Int) -> Bool {
        guard let slots = registry else { return false }
        return slots[3 * slot + 2] != 0
    }

    private struct FreeSlots: ~Copyable {
        var free: [Int] = []
        var highWater = 0
    }

    private static let freeSlots = Mutex(FreeSlots())

    /// Installs the handler once, before the first mapping is registered.
    private static let installed: Bool = {
        pageSize = max(4096, Int(sysconf(Int32(_SC_PAGESIZE))))
        let slots = UnsafeMutablePointer<Int>.allocate(capacity: 3 * capacity)
        slots.initialize(repeating: 0, count: 3 * capacity)
        registry = slots
        let previousAction = UnsafeMutablePointer<sigaction>.allocate(capacity: 1)
        previousAction.initialize(to: sigaction())
        previous = previousAction
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = onBusError
        action.sa_flags = SA_SIGINFO | SA_ONSTACK
        sigemptyset(&action.sa_mask)
        return sigaction(SIGBUS, &action, previousAction) == 0
    }()
}

// State the handler reads. Set once by `MappingFaults.installed` (before the handler exists) except for the
// slots, which `register`/`unregister` write under a Mutex; see `MappingFaults` for why the handler may read
// them without it.
nonisolated(unsafe) private var registry: UnsafeMutablePointer<Int>? = nil
nonisolated(unsafe) private var highWater = 0
nonisolated(unsafe) private var pageSize = 4096
nonisolated(unsafe) private var previous: UnsafeMutablePointer<sigaction>? = nil

/// The SIGBUS handler: zeros for a fault in a registered mapping, the previous handler for any other.
private func onBusError(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?) {
    if let info, let slots = registry, let faulting = info.pointee._sifields._sigfault.si_addr {
        let address = Int(bitPattern: faulting)
        for slot in 0..<highWater {
            let base = slots[3 * slot]
            if base != 0 && address >= base && address < slots[3 * slot + 1] {
                let page = address & ~(pageSize - 1)
                let mapped = mmap(UnsafeMutableRawPointer(bitPattern: page), pageSize, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)
                if mapped != MAP_FAILED {
                    slots[3 * slot + 2] = 1
                    return
                }
            }
        }
    }
    // Not ours: restore the previous handler; the faulting access repeats and reaches it.
    if let previous { _ = sigaction(SIGBUS, previous, nil) }
}
