import Testing
@testable import SpindlePosix

@Suite struct FileWriterTests {
    @Test func writesAcrossTheBufferBoundaryRoundTripThroughFileReader() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/out.bin"
            let data = patternBytes(10_000)
            let writer = try FileWriter(path: path, mode: .createTruncate, bufferSize: 1000)
            var offset = 0
            for size in [7, 993, 1, 999, 1000, 2500, 3, 1500, 2997] {
                try writer.write(Array(data[offset..<offset + size]))
                offset += size
                #expect(writer.bytesWritten == offset)
            }
            #expect(offset == data.count)
            try writer.close()
            try writer.close()

            let reader = try FileReader(path: path)
            #expect(reader.size == data.count)
            #expect(try reader.read(at: 0, count: data.count) == data)
            #expect(try reader.read(at: 995, count: 10) == Array(data[995..<1005]))
            #expect(try reader.read(at: 9_990, count: 100) == Array(data[9_990...]))
            #expect(try reader.read(at: 20_000, count: 5) == [])
            reader.close()
        }
    }

    @Test func appendModeContinuesAtTheEndOfTheFile() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/log"
            try FileSystem.writeFileAtomically(path, [1, 2, 3])
            let writer = try FileWriter(path: path, mode: .append, bufferSize: 4)
            #expect(writer.bytesWritten == 3)
            try writer.write([4, 5])
            try writer.sync()
            #expect(try FileSystem.readFile(path) == [1, 2, 3, 4, 5])
            try writer.close()
        }
    }

    @Test func createTruncateEmptiesAnExistingFile() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/f"
            try FileSystem.writeFileAtomically(path, patternBytes(50))
            let writer = try FileWriter(path: path, mode: .createTruncate)
            try writer.write([9])
            try writer.close()
            #expect(try FileSystem.readFile(path) == [9])
        }
    }

    @Test func fullDiskThrowsNoSpaceNamingThePath() throws {
        guard FileSystem.exists("/dev/full") else { return }
        let writer = try FileWriter(path: "/dev/full", mode: .createTruncate, bufferSize: 64)
        try writer.write(patternBytes(10))
        let error = #expect(throws: SystemError.self) { try writer.flush() }
        #expect(error?.errno == Errno.noSpace)
        #expect(error?.context == "/dev/full")
        #expect(throws: SystemError.self) { try writer.close() }
    }

    @Test func writeAfterCloseThrows() throws {
        try withTemporaryDirectory { dir in
            let writer = try FileWriter(path: dir + "/f", mode: .createTruncate)
            try writer.close()
            let error = #expect(throws: SystemError.self) { try writer.write([1]) }
            #expect(error?.errno == Errno.badFileDescriptor)
        }
    }
}
