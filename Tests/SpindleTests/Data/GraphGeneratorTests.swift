@testable import Spindle
@testable import SpindleTools
import SpindlePosix
import Testing

/// R-MAT edge lists: deterministic, well formed, in range, and skewed like Graph500 graphs.
@Suite struct GraphGeneratorTests {
    struct Graph {
        var header: [String] = []
        var edges: [(UInt64, UInt64)] = []
        var bytes: [UInt8] = []
    }

    static func generate(scale: Int, edgeFactor: Int, seed: UInt64) throws -> Graph {
        let dir = try TemporaryDirectory()
        let path = dir.file("graph.txt")
        try GraphGenerator.writeRMAT(to: path, scale: scale, edgeFactor: edgeFactor, seed: seed)
        var graph = Graph()
        graph.bytes = try FileSystem.readFile(path)
        for line in graph.bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast() {
            let text = String(decoding: line, as: UTF8.self)
            if text.hasPrefix("#") {
                graph.header.append(text)
                continue
            }
            let fields = text.split(separator: "\t", omittingEmptySubsequences: false)
            #expect(fields.count == 2, "line '\(text)'")
            guard fields.count == 2, let source = UInt64(fields[0]), let target = UInt64(fields[1]) else { continue }
            graph.edges.append((source, target))
        }
        #expect(graph.bytes.last == 0x0A)
        return graph
    }

    @Test func headerAndEdgeCountAndRange() throws {
        let graph = try Self.generate(scale: 10, edgeFactor: 8, seed: 42)
        #expect(graph.header == ["# R-MAT scale 10 edge factor 8 seed 42", "# FromNodeId\tToNodeId"])
        #expect(graph.edges.count == 8 << 10)
        #expect(graph.edges.allSatisfy { $0.0 < 1024 && $0.1 < 1024 })
    }

    @Test func sameSeedGivesSameGraphAndOtherSeedsDiffer() throws {
        let first = try Self.generate(scale: 9, edgeFactor: 4, seed: 5)
        let second = try Self.generate(scale: 9, edgeFactor: 4, seed: 5)
        let other = try Self.generate(scale: 9, edgeFactor: 4, seed: 6)
        #expect(first.bytes == second.bytes)
        #expect(first.edges.map(\.0) != other.edges.map(\.0))
    }

    @Test func degenerateSizesWork() throws {
        let empty = try Self.generate(scale: 3, edgeFactor: 0, seed: 1)
        #expect(empty.edges.isEmpty && empty.header.count == 2)
        let single = try Self.generate(scale: 0, edgeFactor: 3, seed: 1)
        #expect(single.edges.count == 3 && single.edges.allSatisfy { $0 == (0, 0) })
        let tiny = try Self.generate(scale: 1, edgeFactor: 50, seed: 1)
        #expect(tiny.edges.allSatisfy { $0.0 < 2 && $0.1 < 2 })
    }

    @Test func degreesAreSkewed() throws {
        let graph = try Self.generate(scale: 12, edgeFactor: 16, seed: 3)
        var outDegree = [Int](repeating: 0, count: 1 << 12)
        for (source, _) in graph.edges { outDegree[Int(source)] += 1 }
        let average = Double(graph.edges.count) / Double(outDegree.count)
        let maximum = outDegree.max()!
        #expect(Double(maximum) > 10 * average, "max \(maximum), average \(average)")
        #expect(outDegree.filter { $0 == 0 }.count > 200)  // many vertices without out-edges
        // The permutation spreads the heavy vertices: the heaviest is not vertex 0.
        #expect(outDegree[0] < maximum)
    }

    @Test(arguments: [0, 1, 2, 3, 10, 16])
    func vertexPermutationIsABijection(scale: Int) {
        let permutation = VertexPermutation(scale: scale, seed: 77)
        var seen = [Bool](repeating: false, count: 1 << scale)
        for vertex in 0..<UInt64(1 << scale) {
            let image = permutation(vertex)
            #expect(image < UInt64(1 << scale))
            if image < UInt64(1 << scale) {
                #expect(!seen[Int(image)])
                seen[Int(image)] = true
            }
        }
        #expect(seen.allSatisfy { $0 })
        if scale == 10 {
            let fixed = (0..<UInt64(1024)).filter { permutation($0) == $0 }.count
            #expect(fixed < 20)
            #expect((0..<UInt64(1024)).map { VertexPermutation(scale: 10, seed: 78)($0) } != (0..<UInt64(1024)).map { permutation($0) })
        }
    }

    @Test func quadrantsFollowGraph500Probabilities() {
        var random = SeededRandom(seed: 12)
        var quadrant = [Int](repeating: 0, count: 4)
        let draws = 100_000
        for _ in 0..<draws {
            let (row, column) = GraphGenerator.quadrants(random.next())
            for level in 0..<4 {
                quadrant[Int((row >> UInt64(level)) & 1) * 2 + Int((column >> UInt64(level)) & 1)] += 1
            }
        }
        let total = Double(4 * draws)
        for (index, probability) in [0.57, 0.19, 0.19, 0.05].enumerated() {
            let share = Double(quadrant[index]) / total
            #expect(abs(share - probability) < 0.005, "quadrant \(index): \(share)")
        }
    }

    @Test func decimalDigitsMatchesStringFormatting() {
        let values: [UInt64] = [0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 12_345, 1 << 40, UInt64.max, UInt64.max / 10]
        var buffer = [UInt8](repeating: 0, count: 24)
        DecimalDigits.pairs.withUnsafeBufferPointer { pairs in
            for value in values {
                let count = buffer.withUnsafeMutableBufferPointer { DecimalDigits.write(value, to: $0.baseAddress!, pairs: pairs) }
                #expect(String(decoding: buffer[..<count], as: UTF8.self) == String(value))
            }
        }
    }
}
