import Testing
@testable import SpindlePosix

@Suite struct MappedFileTests {
    @Test func emptyFileMapsToEmptyBytes() throws {
        try withTemporaryDirectory { dir in
            try FileSystem.writeFileAtomically(dir + "/empty", [])
            let mapped = try MappedFile(path: dir + "/empty")
            #expect(mapped.count == 0)
            #expect(mapped.bytes.isEmpty)
        }
    }

    @Test func nonEmptyFileMapsItsExactBytes() throws {
        try withTemporaryDirectory { dir in
            let data = patternBytes(70_000)
            try FileSystem.writeFileAtomically(dir + "/data", data)
            let mapped = try MappedFile(path: dir + "/data")
            #expect(mapped.count == data.count)
            #expect(Array(mapped.bytes) == data)
        }
    }

    @Test func mappingAMissingFileThrows() {
        #expect(throws: SystemError.self) { _ = try MappedFile(path: "/no/such/file") }
    }
}
