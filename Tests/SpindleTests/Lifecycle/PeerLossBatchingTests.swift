import Foundation
import SpindleCore
import SpindlePosix
import Testing

@testable import Spindle

/// Workers lost together are told to each survivor in one `peersLost` frame, not one frame per lost worker (which
/// cost the coordinator survivors × lost frames when a rack went down).
@Suite(.serialized) struct PeerLossBatchingTests {
    private static let secret = "correct horse battery staple"

    /// The state letter of process `pid` (`R`, `S`, `T` when stopped, ...), nil when it is gone.
    private func state(of pid: Int32) -> Character? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(close, offsetBy: 2)]
    }

    @Test func threeWorkersLostInOneTurnReachEachSurvivorAsOneFrame() throws {
        let dir = try TemporaryDirectory()
        // Tasks nobody answers: the job waits while workers are lost.
        let coordinator = try TestJobsBinary.start(
            ["run", "noop", "--param", "tasks=100", "--listen", "127.0.0.1:0", "--workers", "0", "--expect-workers", "6",
             "--output", dir.file("out"), "--event-log", dir.file("events.jsonl"), "--ui", "off", "--quiet"],
            environment: ["SPINDLE_SECRET": Self.secret], in: dir.path, name: "coordinator")
        defer { _ = try? coordinator.process.signal(Signal.kill); _ = try? coordinator.finish(timeout: .seconds(10)) }
        let log = EventLogReader(path: dir.file("events.jsonl"))
        #expect(eventually(within: .seconds(30)) { log.listenAddress() != nil })
        let address = try #require(log.listenAddress())
        let workers = try (0..<6).map { try RawWorker(address: address, secret: Self.secret, exchangePort: UInt16(7100 + $0)) }
        let (lost, survivors) = (workers[0..<3], workers[3...])
        // Stopped, the coordinator cannot read the three ends one at a time: its next turn sees all of them.
        let pid = coordinator.process.pid
        sendSignal(Signal.stop, to: pid)
        #expect(eventually(within: .seconds(10)) { state(of: pid) == "T" })
        for worker in lost { worker.socket.close() }
        MonotonicClock.sleep(.milliseconds(200))
        sendSignal(Signal.cont, to: pid)
        let lostPorts: Set<UInt16> = [7100, 7101, 7102]
        var framesBySurvivor = Array(repeating: [[PeerLoss]](), count: survivors.count)
        let deadline = MonotonicClock.now() + .seconds(20)
        while MonotonicClock.now() < deadline,
            framesBySurvivor.contains(where: { Set($0.joined().map(\.port)) != lostPorts })
        {
            for (i, worker) in survivors.enumerated() {
                try worker.sendHeartbeat()
                for case .peersLost(let losses) in try worker.poll(timeout: .milliseconds(20)) { framesBySurvivor[i].append(losses) }
            }
        }
        for (i, received) in framesBySurvivor.enumerated() {
            #expect(received.count == 1, "survivor \(i) got \(received.count) peersLost frames: \(received)")
            #expect(Set(received.joined().map(\.port)) == lostPorts, "survivor \(i) heard of \(received)")
        }
        #expect(framesBySurvivor.joined().joined().allSatisfy { $0.host == "127.0.0.1" })
        #expect(eventually(within: .seconds(5)) { log.events(named: "worker_lost").count == 3 })
    }
}
