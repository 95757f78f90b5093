import Testing
@testable import SpindlePosix

@Suite struct FileReaderTests {
    @Test func readIntoBufferStopsShortAtEndOfFile() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/f"
            let data = patternBytes(300)
            try FileSystem.writeFileAtomically(path, data)
            let reader = try FileReader(path: path)
            var buffer = [UInt8](repeating: 0, count: 128)
            #expect(try buffer.withUnsafeMutableBytes { try reader.read(at: 250, into: $0) } == 50)
            #expect(Array(buffer[0..<50]) == Array(data[250...]))
        }
    }

    @Test func openingAMissingFileThrowsNotFound() {
        let error = #expect(throws: SystemError.self) { _ = try FileReader(path: "/no/such/file") }
        #expect(error?.isNotFound == true)
    }
}
