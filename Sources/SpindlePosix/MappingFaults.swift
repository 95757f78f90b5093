import Glibc
import Synchronization

/// Keeps a file that shrinks under a mapping from killing the process: reading a mapped page that lies
/// past the end of its file raises SIGBUS, and shuffle and spill files are mapped. For a fault inside a
/// registered mapping, the handler maps a page of zeros over the faulting page and marks the mapping
/// truncated; the read then sees zeros, which the blocks' CRC32C checks reject as corrupt data (so the map
/// task that made the file runs again), and ``MappedFile/wasTruncated`` tells. Faults anywhere else go to
/// the handler that was installed before (the Swift runtime's crash reporter or the default action).
///
/// The handler takes no lock: it reads the registry through atomic loads (every slot is an `Atomic`, so a
/// slot published before its mapping is used is seen by whichever thread faults, and ThreadSanitizer sees the
/// ordering too) and calls `mmap` and `sigaction`, which are system calls safe in a handler. Writers take a
/// Mutex among themselves; a slot's end is stored before its base, so a reader that sees the base sees the end.
enum MappingFaults {
    /// Mappings that can be protected at once; more are mapped unprotected (as every mapping was before).
    static let capacity = 1 << 16

    /// Registers `base..<base+count`; returns the slot, or nil when the registry is full.
    static func register(_ base: UnsafeRawPointer, count: Int) -> Int? {
        _ = installed
        guard let slots = registry.load(ordering: .acquiring) else { return nil }
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
            slots[3 * slot + 1].store(Int(bitPattern: base) + count, ordering: .relaxed)
            slots[3 * slot + 2].store(0, ordering: .relaxed)
            slots[3 * slot].store(Int(bitPattern: base), ordering: .releasing)
            registeredSlots.store(state.highWater, ordering: .releasing)
            return slot
        }
    }

    /// Forgets a slot; call before unmapping.
    static func unregister(_ slot: Int) {
        guard let slots = registry.load(ordering: .acquiring) else { return }
        freeSlots.withLock { state in
            slots[3 * slot].store(0, ordering: .releasing)
            state.free.append(slot)
        }
    }

    /// Whether a fault inside the slot's mapping was turned into zeros.
    static func wasTruncated(_ slot: Int) -> Bool {
        guard let slots = registry.load(ordering: .acquiring) else { return false }
        return slots[3 * slot + 2].load(ordering: .acquiring) != 0
    }

    private struct FreeSlots: ~Copyable {
        var free: [Int] = []
        var highWater = 0
    }

    private static let freeSlots = Mutex(FreeSlots())

    /// Installs the handler once, before the first mapping is registered.
    private static let installed: Bool = {
        pageSize.store(max(4096, Int(sysconf(Int32(_SC_PAGESIZE)))), ordering: .relaxed)
        let slots = UnsafeMutablePointer<Atomic<Int>>.allocate(capacity: 3 * capacity)
        for i in 0..<3 * capacity { (slots + i).initialize(to: Atomic(0)) }
        let previousAction = UnsafeMutablePointer<sigaction>.allocate(capacity: 1)
        previousAction.initialize(to: sigaction())
        previous.store(previousAction, ordering: .relaxed)
        registry.store(slots, ordering: .releasing)
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = onBusError
        action.sa_flags = SA_SIGINFO | SA_ONSTACK
        sigemptyset(&action.sa_mask)
        return sigaction(SIGBUS, &action, previousAction) == 0
    }()
}

// State the handler reads, all atomic (`nonisolated(unsafe)` only because pointers are not Sendable): set once
// by `MappingFaults.installed` (before the handler exists) except for the slots and `registeredSlots`, which
// `register`/`unregister` write (under a Mutex among themselves).
/// Three atomics per slot: the mapping's base (0: a free slot), its end, and whether a fault was turned into zeros.
nonisolated(unsafe) private let registry = Atomic<UnsafeMutablePointer<Atomic<Int>>?>(nil)
/// Slots ever used: the handler scans `0..<registeredSlots`.
private let registeredSlots = Atomic<Int>(0)
private let pageSize = Atomic<Int>(4096)
nonisolated(unsafe) private let previous = Atomic<UnsafeMutablePointer<sigaction>?>(nil)

/// The SIGBUS handler: zeros for a fault in a registered mapping, the previous handler for any other.
private func onBusError(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?) {
    if let info, let slots = registry.load(ordering: .acquiring), let faulting = info.pointee._sifields._sigfault.si_addr {
        let address = Int(bitPattern: faulting)
        let size = pageSize.load(ordering: .relaxed)
        for slot in 0..<registeredSlots.load(ordering: .acquiring) {
            let base = slots[3 * slot].load(ordering: .acquiring)
            if base != 0 && address >= base && address < slots[3 * slot + 1].load(ordering: .relaxed) {
                let page = address & ~(size - 1)
                let mapped = mmap(UnsafeMutableRawPointer(bitPattern: page), size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)
                if mapped != MAP_FAILED {
                    slots[3 * slot + 2].store(1, ordering: .releasing)
                    return
                }
            }
        }
    }
    // Not ours: restore the previous handler; the faulting access repeats and reaches it.
    if let action = previous.load(ordering: .acquiring) { _ = sigaction(SIGBUS, action, nil) }
}
