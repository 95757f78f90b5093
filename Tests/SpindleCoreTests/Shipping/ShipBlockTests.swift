import Testing

@testable import SpindleCore

@Suite struct ShipBlockTests {
    private func payload(_ data: [UInt8]) -> [UInt8] {
        data.withUnsafeBytes { ShipBlock.header(for: $0) } + data
    }

    @Test(arguments: [0, 1, 4097, ShipBlock.maxData])
    func aBlockComesBackWhole(count: Int) throws {
        let data = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let back = try payload(data).withUnsafeBytes { Array(try ShipBlock.data(of: $0)) }
        #expect(back == data)
    }

    @Test func everyDamagedByteIsCaught() throws {
        let data = Array("the quick brown fox\n".utf8)
        let good = payload(data)
        for i in good.indices {
            var bad = good
            bad[i] ^= 0x20
            #expect(throws: ShipBlockError.self) { try bad.withUnsafeBytes { _ = try ShipBlock.data(of: $0) } }
        }
    }

    @Test func shortAndOversizedBlocksAreRefused() {
        #expect(throws: ShipBlockError.truncated(3)) { try [UInt8](repeating: 0, count: 3).withUnsafeBytes { _ = try ShipBlock.data(of: $0) } }
        let big = [UInt8](repeating: 7, count: ShipBlock.maxData + 1)
        #expect(throws: ShipBlockError.oversized(ShipBlock.maxData + 1)) { try payload(big).withUnsafeBytes { _ = try ShipBlock.data(of: $0) } }
    }
}

@Suite struct ShipMessagesTests {
    private let identity = FileIdentity(device: 1, inode: 2, size: 1000, modifiedSeconds: 3, modifiedNanoseconds: 4, machine: "m")

    @Test func onlyPartFileNamesMayBeShipped() {
        #expect(ShipOutputRequest.isShippableName("part-00000"))
        #expect(ShipOutputRequest.isShippableName("part-123456"))
        for name in [
            "part-", "part-1/../x", "../part-00001", "_SUCCESS", "part-0000a", "/etc/passwd", "part-00001.tmp", "",
            "part-" + String(repeating: "1", count: 40),
        ] {
            #expect(!ShipOutputRequest.isShippableName(name), "\(name)")
        }
    }

    @Test func rangesOutsideTheFileAreRefused() {
        func request(_ offset: Int, _ length: Int) -> ShipInputRequest {
            ShipInputRequest(path: "/in/a", identity: identity, offset: offset, length: length)
        }
        #expect(request(0, 1000).problem(size: 1000) == nil)
        #expect(request(1000, 0).problem(size: 1000) == nil)
        #expect(request(999, 2).problem(size: 1000) != nil)
        #expect(request(-1, 1).problem(size: 1000) != nil)
        #expect(request(1, -1).problem(size: 1000) != nil)
        #expect(request(Int.max, Int.max).problem(size: 1000) != nil)
    }

    @Test func messagesRoundTripOnTheWire() throws {
        let input = ShipInputRequest(path: "/in/a", identity: identity, offset: 5, length: 6)
        #expect(try WireReader.decode(ShipInputRequest.self, from: input.wireEncoded()) == input)
        let output = ShipOutputRequest(attempt: AttemptID(9), name: "part-00003", size: 77)
        #expect(try WireReader.decode(ShipOutputRequest.self, from: output.wireEncoded()) == output)
        let error = ShipErrorMessage(message: "changed", inputChanged: true)
        #expect(try WireReader.decode(ShipErrorMessage.self, from: error.wireEncoded()) == error)
    }
}
