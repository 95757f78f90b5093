import Foundation
import Testing

/// The example job of the README's "Writing a BSP job" (copied verbatim into the test jobs).
@Suite struct BSPReadmeExampleTests {
    @Test func lineLengthsCountsLinesByLengthWithTheirShare() throws {
        let dir = try TemporaryDirectory()
        let lines = ["a", "bb", "cc", "", "dddd", "ee", "f", "gggggggggg"]
        try GraphFixtures.write(lines.map { $0 + "\n" }.joined(), to: dir.file("in/t.txt"))
        let result = try TestJobsBinary.run(
            ["run", "line-lengths", "--input", dir.file("in"), "--output", dir.file("out"), "--workers", "2", "--partitions", "3"], in: dir.path)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        var counts: [Int: Int] = [:]
        for line in lines { counts[line.utf8.count, default: 0] += 1 }
        let expected = counts.keys.sorted().map { "\($0)\t\(counts[$0]!)\t\(Double(counts[$0]!) / Double(lines.count))" }
        #expect(try JobOutput(directory: dir.file("out")).lines().sorted() == expected.sorted())
        let success = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.file("out/_SUCCESS")))) as! [String: Any]
        #expect(success["aggregators"] as? [String: Double] == ["longest": 10])
    }
}
