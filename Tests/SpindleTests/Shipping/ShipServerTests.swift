import Dispatch
import Foundation
import SpindleCore
import SpindlePosix
import Synchronization
import Testing

@testable import Spindle

/// The coordinator's shipping server and a worker's client over loopback: exact ranges, whole uploads under the
/// attempt's temporary name, and refusals (files outside the plan, changed inputs, wrong secrets, bad names).
@Suite struct ShipServerTests {
    private static let secret = Array("ship-server-test-secret".utf8)

    private struct Bed {
        let dir: TemporaryDirectory
        let output: OutputCommitter
        let server: ShipServer
        let client: ShipClient
        let input: String
        let identity: FileIdentity
        let bytes: [UInt8]
    }

    /// A server planned with one 3.5 MiB input, and a client of it.
    private func bed(clientSecret: [UInt8] = secret) throws -> Bed {
        let dir = try TemporaryDirectory()
        let bytes = (0..<(3 << 20) + (1 << 19)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 11) }
        let input = dir.file("input.bin")
        try FileSystem.writeFileAtomically(input, bytes)
        let identity = try FileIdentity.of(path: input)
        let output = try OutputCommitter(directory: dir.file("out"), overwrite: false, guard: OutputCommitterTests.guardFor(dir))
        try output.prepare()
        let server = try ShipServer(host: "127.0.0.1", port: 0, secret: Self.secret, inputs: [.init(path: input, identity: identity)], output: output)
        server.start()
        let client = ShipClient(
            host: "127.0.0.1", port: server.port, secret: clientSecret, timeout: SanitizerRun.timeout(.seconds(10), underTSan: .seconds(120)))
        return Bed(dir: dir, output: output, server: server, client: client, input: input, identity: identity, bytes: bytes)
    }

    private func read(_ bed: Bed, _ range: Range<Int>, path: String? = nil, identity: FileIdentity? = nil) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: range.count)
        try buffer.withUnsafeMutableBytes {
            try bed.client.read(path: path ?? bed.input, identity: identity ?? bed.identity, offset: range.lowerBound, into: $0, context: nil)
        }
        return buffer
    }

    @Test func rangesComeBackExactlyAcrossBlocks() throws {
        let bed = try bed()
        defer { bed.server.stop(); bed.client.close() }
        for range in [0..<0, 0..<1, 5..<70_000, (1 << 20) - 3..<(2 << 20) + 5, 0..<bed.bytes.count, bed.bytes.count - 1..<bed.bytes.count] {
            #expect(try read(bed, range) == Array(bed.bytes[range]), "\(range)")
        }
    }

    @Test func aShippedInputReadsLikeTheLocalFile() throws {
        let bed = try bed()
        defer { bed.server.stop(); bed.client.close() }
        let shipped = ShippedInput(client: bed.client, path: bed.input, identity: bed.identity, hintEnd: bed.bytes.count, context: nil)
        var position = 0
        var collected: [UInt8] = []
        for size in [1, 4 << 20 - 1, 100, 9 << 20] {
            let n = min(size, bed.bytes.count - position)
            var buffer = [UInt8](repeating: 0, count: n)
            try buffer.withUnsafeMutableBytes { try shipped.read(at: position, into: $0) }
            collected += buffer
            position += n
        }
        #expect(collected == bed.bytes)
        var again = [UInt8](repeating: 0, count: 10)
        try again.withUnsafeMutableBytes { try shipped.read(at: 3, into: $0) }
        #expect(again == Array(bed.bytes[3..<13]))
    }

    @Test func onlyPlannedUnchangedInputsAreServed() throws {
        let bed = try bed()
        defer { bed.server.stop(); bed.client.close() }
        let other = bed.dir.file("secret.txt")
        try FileSystem.writeFileAtomically(other, Array("not an input\n".utf8))
        #expect { try read(bed, 0..<5, path: other, identity: try FileIdentity.of(path: other)) } throws: {
            "\($0)".contains("is not an input of this job")
        }
        var forged = bed.identity
        forged.size += 1
        #expect { try read(bed, 0..<5, identity: forged) } throws: { "\($0)".contains("is not an input of this job") }
        #expect { try read(bed, bed.bytes.count - 1..<bed.bytes.count + 1) } throws: { "\($0)".contains("outside") }
        try FileSystem.writeFileAtomically(bed.input, Array("replaced\n".utf8))
        #expect { try read(bed, 0..<5) } throws: { ($0 as? InputError)?.message.contains("changed while the job ran") == true }
    }

    @Test func aClientWithTheWrongSecretIsRefused() throws {
        let bed = try bed(clientSecret: Array("a wrong secret, long enough".utf8))
        defer { bed.server.stop(); bed.client.close() }
        #expect { try read(bed, 0..<5) } throws: { "\($0)".contains("authentication failed") || $0 is ConnectionClosed }
    }

    @Test func anUploadBecomesTheAttemptsTemporaryFile() throws {
        let bed = try bed()
        defer { bed.server.stop(); bed.client.close() }
        let local = bed.dir.file("local-part")
        let content = Array(bed.bytes[0..<(1 << 20) + 77])
        try FileSystem.writeFileAtomically(local, content)
        try bed.client.upload(localPath: local, attempt: AttemptID(12), name: "part-00003", context: nil)
        let stored = bed.output.temporaryPath(attempt: AttemptID(12), name: "part-00003")
        #expect(try FileSystem.readFile(stored) == content)
        #expect { try bed.client.upload(localPath: local, attempt: AttemptID(12), name: "../../escape", context: nil) } throws: {
            "\($0)".contains("is not a part file name")
        }
        #expect(try FileSystem.listDirectory(bed.output.temporaryDirectory) == ["attempt-12-part-00003"])
    }

    @Test func cancellingTheAttemptEndsAWaitOnASilentServer() throws {
        let silent = try TCPListener(host: "127.0.0.1", port: 0)
        defer { silent.close() }
        let exchange = try ExchangeServer(host: "127.0.0.1", secret: Self.secret)
        defer { exchange.stop() }
        let context = TaskContext(
            worker: WorkerID(2), assignment: TaskAssignment(attempt: AttemptID(99), task: TaskID(stage: 0, index: 0), payload: []),
            descriptor: JobDescriptor(job: "test", parameters: [], heartbeatInterval: .seconds(1), heartbeatTimeout: .seconds(5), engineSettings: []),
            parameters: JobParameters(pairs: []), scratchDirectory: "/nonexistent", services: WorkerServices(exchange: exchange, secret: Self.secret))
        let client = ShipClient(host: "127.0.0.1", port: silent.port, secret: Self.secret, timeout: .seconds(60))
        let identity = FileIdentity(device: 1, inode: 1, size: 10, modifiedSeconds: 0, modifiedNanoseconds: 0, machine: "")
        let outcome = Mutex<(any Error)?>(nil)
        let ended = DispatchSemaphore(value: 0)
        Thread {
            var buffer = [UInt8](repeating: 0, count: 10)
            do {
                try buffer.withUnsafeMutableBytes { try client.read(path: "/x", identity: identity, offset: 0, into: $0, context: context) }
            } catch {
                outcome.withLock { $0 = error }
            }
            ended.signal()
        }.start()
        MonotonicClock.sleep(.milliseconds(300))
        context.cancel()
        // Well before the handshake's own timeout and the client's 60 s: only the cancellation can end it.
        #expect(ended.wait(timeout: .now() + .seconds(3)) == .success)
        #expect(outcome.withLock { $0 } is TaskCancelled)
    }
}
