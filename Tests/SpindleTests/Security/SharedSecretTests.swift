import Foundation
import SpindleCore
import SpindlePosix
import Testing

@testable import Spindle

/// The shared secret: bytes, at least 16 of them, a private file, one line end trimmed.
@Suite struct SharedSecretTests {
    private func writeSecret(_ bytes: [UInt8], mode: Int, in dir: TemporaryDirectory, name: String = "secret") throws -> String {
        let path = dir.file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    @Test(arguments: [
        ("abc\n", "abc"), ("abc\r\n", "abc"), ("abc\n\n", "abc\n"), ("abc\r", "abc\r"), ("abc", "abc"), ("abc\r\r\n", "abc\r"), (" abc \n", " abc "),
    ])
    func exactlyOneTrailingLineEndIsTrimmed(input: String, expected: String) {
        #expect(SharedSecret.trimmingOneLineEnd(Array(input.utf8)) == Array(expected.utf8))
    }

    @Test func aBase64SecretFileMatchesTheSameTextWithoutItsNewline() throws {
        let dir = try TemporaryDirectory()
        let text = "q7CzY2x0b3Jz0lQ8vE2kRm9sZGVyLXNlY3JldA=="
        let path = try writeSecret(Array((text + "\n").utf8), mode: 0o600, in: dir)
        #expect(try SharedSecret.load(file: path, purpose: "testing") == Array(text.utf8))
    }

    @Test func invalidUTF8SecretsStayDistinctBytes() throws {
        let dir = try TemporaryDirectory()
        let one = [UInt8](repeating: 0xFF, count: 20)
        let two = [UInt8](repeating: 0xFE, count: 20)
        let a = try SharedSecret.load(file: try writeSecret(one, mode: 0o600, in: dir, name: "a"), purpose: "testing")
        let b = try SharedSecret.load(file: try writeSecret(two, mode: 0o600, in: dir, name: "b"), purpose: "testing")
        #expect(a == one)
        #expect(b == two)
        #expect(a != b)
    }

    @Test func aSecretShorterThan16BytesIsRefusedWithARecipe() throws {
        let dir = try TemporaryDirectory()
        let path = try writeSecret(Array("fifteen bytes!!\n".utf8), mode: 0o600, in: dir)
        do {
            _ = try SharedSecret.load(file: path, purpose: "testing")
            Issue.record("a 15-byte secret must be refused")
        } catch {
            #expect(error.message.contains("15 bytes long, but at least 16"), "\(error)")
            #expect(error.message.contains("head -c 32 /dev/urandom | base64 > secret; chmod 600 secret"), "\(error)")
        }
        #expect(try SharedSecret.load(file: try writeSecret(Array("sixteen bytes!!!".utf8), mode: 0o600, in: dir, name: "ok"), purpose: "t").count == 16)
    }

    @Test(arguments: [0o640, 0o604, 0o644, 0o660, 0o606])
    func aSecretFileOpenToGroupOrOthersIsRefused(mode: Int) throws {
        let dir = try TemporaryDirectory()
        let path = try writeSecret(Array("a perfectly long secret".utf8), mode: mode, in: dir)
        do {
            _ = try SharedSecret.load(file: path, purpose: "testing")
            Issue.record("mode \(String(mode, radix: 8)) must be refused")
        } catch {
            #expect(error.message.contains("'\(path)'") && error.message.contains("chmod 600 \(path)"), "\(error)")
        }
    }

    @Test func theLocalRandomSecretIsLongASCII() {
        let secret = SharedSecret.random()
        #expect(secret.count == 64)
        #expect(secret.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) })
        #expect(secret != SharedSecret.random())
    }
}

/// The secret rules through the real executables.
@Suite(.serialized) struct SharedSecretProcessTests {
    @Test func aWorkerRefusesAGroupReadableSecretFileWithExit2() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("secret")
        try Data("a perfectly long secret\n".utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let result = try SpindleProcess.run(["worker", "--coordinator", "127.0.0.1:9", "--secret-file", path], in: dir.path, timeout: .seconds(30))
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("chmod 600 \(path)"), "stderr: \(result.stderr)")
    }

    @Test func aShortEnvironmentSecretIsRefusedWithExit2() throws {
        let dir = try TemporaryDirectory()
        let result = try SpindleProcess.run(
            ["worker", "--coordinator", "127.0.0.1:9"], environment: ["SPINDLE_SECRET": "short\n"], in: dir.path, timeout: .seconds(30))
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("SPINDLE_SECRET is 5 bytes long"), "stderr: \(result.stderr)")
    }

    /// The README's recipe on the coordinator (`base64 > secret`, so the file ends in a newline) and the
    /// same text in `SPINDLE_SECRET` on the worker authenticate each other.
    @Test func aSecretFileOnOneSideMatchesTheEnvironmentOnTheOther() throws {
        let dir = try TemporaryDirectory()
        let text = Data((0..<32).map { UInt8($0 * 7 & 0xFF) }).base64EncodedString()
        let path = dir.file("secret")
        try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        try ChecksumOracle.writeInput(dir.file("in.txt"), lines: 2_000, seed: 31)
        let log = EventLogReader(path: dir.file("events.jsonl"))
        let coordinator = try SpindleProcess.start(
            ["run", "checksum", "--input", dir.file("in.txt"), "--output", dir.file("out"), "--listen", "127.0.0.1:0", "--expect-workers", "1",
             "--secret-file", path, "--event-log", dir.file("events.jsonl")],
            in: dir.path, name: "coordinator")
        #expect(eventually(within: .seconds(20)) { log.listenAddress() != nil })
        let address = try #require(log.listenAddress())
        let worker = try SpindleProcess.start(["worker", "--coordinator", address], environment: ["SPINDLE_SECRET": text], in: dir.path, name: "worker")
        let result = try coordinator.finish(timeout: .seconds(60))
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        #expect(try ChecksumOracle.problems(output: dir.file("out"), input: dir.file("in.txt")) == [])
        let workerResult = try worker.finish(timeout: .seconds(10))
        #expect(workerResult.exitCode == 0, "stderr: \(workerResult.stderr)")
    }
}
