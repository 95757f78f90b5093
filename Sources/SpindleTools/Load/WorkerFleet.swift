import Dispatch
import Foundation
import Synchronization
import SpindleCore
import SpindlePosix

/// Settings of a ``WorkerFleet``.
package struct FleetSettings: Sendable {
    /// The coordinator's address (loopback in tests and benchmarks).
    package var coordinator: HostPort
    /// The job's shared secret.
    package var secret: [UInt8]
    /// How many simulated workers join.
    package var workers: Int
    /// Event loops (threads) the workers are spread over. Default 1.
    package var loops = 1
    /// Workers each loop keeps joining at once (the coordinator keeps at most 64 unauthenticated connections).
    /// Default 16.
    package var concurrentJoins = 16
    /// How long the fleet runs at most. Default 10 minutes.
    package var timeout: Duration = .seconds(600)

    package init(coordinator: HostPort, secret: [UInt8], workers: Int) {
        self.coordinator = coordinator
        self.secret = secret
        self.workers = workers
    }
}

/// Counts registered workers across loops, for a caller waiting for the whole fleet to have joined.
final class JoinCounter: Sendable {
    private let count = Atomic<Int>(0)
    func add() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}

/// Many simulated workers in one process (``SimulatedWorker``), each on its own TCP connection speaking the real
/// control protocol, spread over a few event loops instead of a thread each: a thousand workers load one
/// coordinator as a thousand machines would, on a machine with two cores.
package final class WorkerFleet: Sendable {
    package let settings: FleetSettings
    private let joined = JoinCounter()

    package init(settings: FleetSettings) {
        self.settings = settings
    }

    /// Workers registered so far (readable from any thread while ``run()`` runs).
    package var joinedCount: Int { joined.value }

    /// Runs every worker until the coordinator shuts it down (or its connection ends, or the timeout passes) and
    /// returns the figures of all loops together.
    /// - Throws: ``SystemError`` when a loop cannot make its epoll instance.
    package func run() throws -> FleetReport {
        let loopCount = max(1, min(settings.loops, settings.workers))
        let deadline = MonotonicClock.nanoseconds() + settings.timeout.nanosecondsClamped
        let loops = try (0..<loopCount).map { l in
            try FleetLoop(settings: settings, indices: Array(stride(from: l, to: settings.workers, by: loopCount)), joined: joined)
        }
        let group = DispatchGroup()
        for loop in loops {
            let box = UncheckedLoop(loop)
            group.enter()
            let thread = Thread { box.loop.run(deadline: deadline); group.leave() }
            thread.start()
        }
        group.wait()
        return loops.reduce(FleetReport()) { $0.merged(with: $1.report) }
    }
}

/// Hands a loop to its thread: the loop is used by that thread only until ``DispatchGroup/wait()`` returns.
private struct UncheckedLoop: @unchecked Sendable {
    let loop: FleetLoop
    init(_ loop: FleetLoop) { self.loop = loop }
}
