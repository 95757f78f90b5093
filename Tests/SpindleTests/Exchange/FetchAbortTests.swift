import Dispatch
import Foundation
import SpindleCore
import SpindlePosix
import Synchronization
import Testing

@testable import Spindle

/// A fetch blocked on a silent peer ends at once when the coordinator says the peer is lost, or when its
/// attempt is cancelled: it neither waits for the fetch timeout nor leaves the task hanging.
@Suite struct FetchAbortTests {
    private static let secret = Array("fetch-abort-secret".utf8)

    /// A context whose worker's exchange server is `exchange`.
    private static func context(_ exchange: ExchangeServer) -> TaskContext {
        TaskContext(
            worker: WorkerID(2), assignment: TaskAssignment(attempt: AttemptID(99), task: TaskID(stage: 1, index: 0), payload: []),
            descriptor: JobDescriptor(job: "test", parameters: [], heartbeatInterval: .seconds(1), heartbeatTimeout: .seconds(5), engineSettings: []),
            parameters: JobParameters(pairs: []), scratchDirectory: "/nonexistent", services: WorkerServices(exchange: exchange, secret: secret))
    }

    /// Fetches from a peer that accepts connections (in its backlog) and never answers, runs `interrupt` once the
    /// fetch waits on its connection (in the handshake, for an answer that never comes), and returns how the fetch
    /// ended, or nil when it had not ended well before the handshake's own timeout (it was not woken).
    private func fetchFromSilentPeer(context makeContext: Bool, interrupt: (ExchangeServer, TaskContext, UInt16) -> Void) throws -> (any Error)? {
        let silent = try TCPListener(host: "127.0.0.1", port: 0)
        defer { silent.close() }
        let exchange = try ExchangeServer(host: "127.0.0.1", secret: Self.secret)
        defer { exchange.stop() }
        let context = Self.context(exchange)
        let fetcher = SegmentFetcher(secret: Self.secret, server: exchange, scratchPrefix: "/nonexistent/x", producerStage: 0)
        let source = SegmentSource(producer: 0, attempt: AttemptID(5), host: "127.0.0.1", port: silent.port, bytes: 10)
        let outcome = Mutex<(any Error)?>(nil)
        let ended = DispatchSemaphore(value: 0)
        let fetchContext = makeContext ? context : nil
        Thread {
            do {
                _ = try exchange.transport.fetch(source, partition: 0, for: fetcher, context: fetchContext)
                outcome.withLock { $0 = UnexpectedSegment() }
            } catch {
                outcome.withLock { $0 = error }
            }
            ended.signal()
        }.start()
        while exchange.connections.leases.count == 0 { MonotonicClock.sleep(.milliseconds(5)) }
        interrupt(exchange, context, silent.port)
        // The handshake alone would wait RuntimeDefaults.handshakeTimeout (5 s): ending well before it means woken.
        guard ended.wait(timeout: .now() + .seconds(4)) == .success else {
            _ = ended.wait(timeout: .now() + .seconds(10))
            return nil
        }
        return outcome.withLock { $0 }
    }

    @Test func lossOfThePeerEndsAFetchBlockedOnIt() throws {
        let error = try fetchFromSilentPeer(context: false) { exchange, _, port in
            exchange.connections.abort(PeerLoss(host: "127.0.0.1", port: port, attemptsBelow: AttemptID(6)))
        }
        #expect(error != nil, "the fetch went on waiting after its peer was declared lost")
        #expect("\(error.map { "\($0)" } ?? "")".contains("was declared lost"), "\(String(describing: error))")
    }

    @Test func cancellationOfTheAttemptEndsItsBlockedFetch() throws {
        let error = try fetchFromSilentPeer(context: true) { _, context, _ in context.cancel() }
        #expect(error != nil, "the fetch went on waiting after its attempt was cancelled")
        #expect(error is TaskCancelled, "\(String(describing: error))")
    }

    @Test func lossCoversOnlyOlderAttemptsAtThatAddress() throws {
        let leases = FetchLeases()
        leases.abort(PeerLoss(host: "10.251.0.11", port: 7100, attemptsBelow: AttemptID(20)))
        #expect(throws: FetchError.self) { try leases.checkReachable("10.251.0.11:7100", attempt: AttemptID(19)) }
        // A worker that rejoined at the same address serves outputs of later attempts.
        try leases.checkReachable("10.251.0.11:7100", attempt: AttemptID(20))
        try leases.checkReachable("10.251.0.12:7100", attempt: AttemptID(1))
        #expect(leases.isLost("10.251.0.11:7100", attempt: AttemptID(3)))
        #expect(!leases.isLost("10.251.0.11:7100", attempt: AttemptID(21)))
    }

    @Test func cancelHandlersRunOnceAndAtOnceWhenAlreadyCancelled() throws {
        let exchange = try ExchangeServer(host: "127.0.0.1", secret: Self.secret)
        defer { exchange.stop() }
        let context = Self.context(exchange)
        let runs = Atomic<Int>(0)
        let kept = context.onCancel { runs.add(1, ordering: .relaxed) }
        let removed = context.onCancel { runs.add(100, ordering: .relaxed) }
        context.removeCancelHandler(removed)
        #expect(kept != nil)
        context.cancel()
        context.cancel()
        #expect(runs.load(ordering: .relaxed) == 1)
        #expect(context.onCancel { runs.add(10, ordering: .relaxed) } == nil)
        #expect(runs.load(ordering: .relaxed) == 11)
    }
}

/// A fetch from a peer that never answers returned a segment.
private struct UnexpectedSegment: Error {}
