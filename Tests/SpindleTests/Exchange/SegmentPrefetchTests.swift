@testable import Spindle
import SpindleCore
import SpindlePosix
import Testing

extension ExchangeTests {
    /// Fetching ahead: the store's bookkeeping, and fetches over real TCP that use, or refuse, what was fetched ahead.
    @Suite struct SegmentPrefetchTests {
        private static let secret = Array("prefetch-test-secret".utf8)

        private func key(_ attempt: UInt64, _ partition: Int) -> SegmentPrefetches.Key {
            .init(attempt: AttemptID(attempt), partition: partition)
        }

        private func segment(_ bytes: [UInt8]) -> SegmentFetcher.Segment {
            let buffer = BlockBuffer(bytes)
            return SegmentFetcher.Segment(producer: 0, bytes: buffer.bytes, owner: buffer, verified: true)
        }

        /// A task's context on a worker whose exchange server is `exchange` (a new, unstarted one by default).
        fileprivate static func context(exchange: ExchangeServer? = nil, scratch: String = "/nonexistent") throws -> TaskContext {
            let services = WorkerServices(exchange: try exchange ?? ExchangeServer(host: "127.0.0.1", secret: secret), secret: secret)
            return TaskContext(
                worker: WorkerID(2), assignment: TaskAssignment(attempt: AttemptID(99), task: TaskID(stage: 1, index: 0), payload: []),
                descriptor: JobDescriptor(
                    job: "test", parameters: [], heartbeatInterval: .seconds(1), heartbeatTimeout: .seconds(5), engineSettings: []),
                parameters: JobParameters(pairs: []), scratchDirectory: scratch, services: services)
        }

        @Test func startRegistersEachKeyOnceAndDropsEntriesOfOtherAttempts() {
            let store = SegmentPrefetches()
            #expect(store.start([key(1, 0), key(2, 0)], keeping: [AttemptID(1), AttemptID(2)]).map(\.0) == [key(1, 0), key(2, 0)])
            #expect(store.start([key(1, 0), key(2, 1)], keeping: [AttemptID(1), AttemptID(2)]).map(\.0) == [key(2, 1)])
            #expect(store.count == 3)
            // A prefetch for a later stage's outputs drops what no task will read any more.
            #expect(store.start([key(3, 0)], keeping: [AttemptID(2), AttemptID(3)]).map(\.0) == [key(3, 0)])
            #expect(store.count == 3)
            #expect(store.take(key(1, 0)) == nil)
            #expect(store.take(key(2, 1)) != nil)
            #expect(store.take(key(2, 1)) == nil, "an entry is used at most once")
            #expect(store.count == 2)
        }

        @Test func aTaskPayloadCarriesTheNextPartitionAndItsSources() throws {
            var payload = PartitionTask(kind: .superstep, partition: 2, epoch: 0)
            payload.ahead = FetchAhead(
                partition: 4, sources: [SegmentSource(producer: 3, attempt: AttemptID(12), host: "10.0.0.2", port: 4000, bytes: 777)])
            let decoded = try WireReader.decode(PartitionTask.self, from: payload.wireEncoded())
            #expect(decoded.ahead?.partition == 4)
            #expect(decoded.ahead?.sources.map(\.attempt) == [AttemptID(12)])
            #expect(decoded.ahead?.sources.map(\.bytes) == [777])
            let without = try WireReader.decode(
                PartitionTask.self, from: PartitionTask(kind: .output, partition: 0, epoch: 0).wireEncoded())
            #expect(without.ahead == nil)
        }

        @Test func aFinishedPrefetchGivesItsSegmentOrNilAfterAFailure() throws {
            let context = try Self.context()

            let succeeded = SegmentPrefetches.Pending()
            succeeded.finish(.success(segment([1, 2, 3])))
            let found = try succeeded.segment(timeout: .seconds(1), context: context)
            #expect(found.map { Array($0.bytes) } == [1, 2, 3])

            let failed = SegmentPrefetches.Pending()
            failed.finish(.failure(FetchError("connection refused")))
            #expect(try failed.segment(timeout: .seconds(1), context: context) == nil)
        }

        @Test func waitingForAPrefetchIsBoundedAndEndsOnCancellation() throws {
            let context = try Self.context()
            let stuck = SegmentPrefetches.Pending()
            let started = MonotonicClock.nanoseconds()
            #expect(throws: FetchError.self) { _ = try stuck.segment(timeout: .milliseconds(200), context: context) }
            let waited = MonotonicClock.nanoseconds() - started
            #expect(waited >= 200_000_000 && waited < 5_000_000_000)

            context.cancel()
            #expect(throws: TaskCancelled.self) { _ = try stuck.segment(timeout: .seconds(30), context: context) }
        }

        /// A worker serving one two-partition output, and a second worker (its own exchange server) that fetches it.
        private struct TwoWorkers {
            let dir: String
            let serving: ExchangeServer
            let fetching: ExchangeServer
            let file: PartitionedFile
            let attempt = AttemptID(7)
            let context: TaskContext
            let fetcher: SegmentFetcher

            init() throws {
                dir = try FileSystem.makeTemporaryDirectory(prefix: "spindle-prefetch-test-")
                var rng = SplitMix64(seed: 11)
                let records = stableSorted(
                    (0..<2000).map { i in
                        TestRecord(partition: i % 2, key: randomBytes(8, &rng), value: randomBytes(Int(rng.next() % 40), &rng))
                    })
                try writePartitioned(records, partitions: 2, path: dir + "/output")
                file = try PartitionedFile(path: dir + "/output")
                serving = try ExchangeServer(host: "127.0.0.1", secret: SegmentPrefetchTests.secret)
                serving.start()
                serving.register(attempt, file: file)
                fetching = try ExchangeServer(host: "127.0.0.1", secret: SegmentPrefetchTests.secret)
                context = try SegmentPrefetchTests.context(exchange: fetching, scratch: dir)
                fetcher = SegmentFetcher(
                    secret: SegmentPrefetchTests.secret, server: fetching, scratchPrefix: dir + "/attempt-99", producerStage: 0, inMemory: true)
            }

            func source(partition: Int, bytes: Int? = nil) -> SegmentSource {
                SegmentSource(producer: 0, attempt: attempt, host: "127.0.0.1", port: serving.port, bytes: bytes ?? file.segment(partition).count)
            }

            func stop() {
                serving.stop()
                fetching.stop()
                try? FileSystem.removeTree(dir)
            }
        }

        @Test func aFetchUsesTheSegmentFetchedAheadEvenAfterTheServerLetItGo() throws {
            let workers = try TwoWorkers()
            defer { workers.stop() }
            workers.fetcher.prefetch(FetchAhead(partition: 1, sources: [workers.source(partition: 1)]))
            #expect(workers.fetching.prefetched.count == 1)
            // The connection goes back to the pool once the answer is complete.
            let address = "127.0.0.1:\(workers.serving.port)"
            let deadline = MonotonicClock.nanoseconds() + 10_000_000_000
            while workers.fetching.connections.idleCount(address) == 0 && MonotonicClock.nanoseconds() < deadline {
                MonotonicClock.sleep(.milliseconds(5))
            }
            // From now on a fetch from the server would fail: only the prefetched copy can answer.
            workers.serving.unregister(workers.attempt)
            let segments = try workers.fetcher.fetch(partition: 1, sources: [workers.source(partition: 1)], context: workers.context)
            #expect(segments.count == 1)
            #expect(Array(segments[0].bytes) == Array(workers.file.segment(1)))
            #expect(segments[0].verified)
            #expect(workers.fetching.prefetched.count == 0)
        }

        @Test func aFailedPrefetchIsFetchedAgain() throws {
            let workers = try TwoWorkers()
            defer { workers.stop() }
            let started = workers.fetching.prefetched.start([.init(attempt: workers.attempt, partition: 0)], keeping: [workers.attempt])
            started[0].1.finish(.failure(FetchError("connection reset")))
            let segments = try workers.fetcher.fetch(partition: 0, sources: [workers.source(partition: 0)], context: workers.context)
            #expect(Array(segments[0].bytes) == Array(workers.file.segment(0)))
        }

        @Test func aPrefetchOfOtherSizeIsNotUsed() throws {
            let workers = try TwoWorkers()
            defer { workers.stop() }
            let started = workers.fetching.prefetched.start([.init(attempt: workers.attempt, partition: 0)], keeping: [workers.attempt])
            started[0].1.finish(.success(segment([9, 9, 9])))
            let segments = try workers.fetcher.fetch(partition: 0, sources: [workers.source(partition: 0)], context: workers.context)
            #expect(Array(segments[0].bytes) == Array(workers.file.segment(0)))
        }

        @Test func onlyOutputsOnOtherWorkersAreFetchedAhead() throws {
            let workers = try TwoWorkers()
            defer { workers.stop() }
            // The fetching worker's own outputs are read in place when the task runs.
            workers.fetching.register(AttemptID(8), file: workers.file)
            let own = SegmentSource(
                producer: 1, attempt: AttemptID(8), host: "127.0.0.1", port: workers.fetching.port, bytes: workers.file.segment(1).count)
            workers.fetcher.prefetch(FetchAhead(partition: 1, sources: [own]))
            #expect(workers.fetching.prefetched.count == 0)
            // A fetcher that writes scratch files does not fetch ahead.
            var scratchFetcher = workers.fetcher
            scratchFetcher.inMemory = false
            scratchFetcher.prefetch(FetchAhead(partition: 1, sources: [workers.source(partition: 1)]))
            #expect(workers.fetching.prefetched.count == 0)
        }
    }
}
