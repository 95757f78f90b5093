import Foundation
import Testing

@Suite struct OracleFixturesTests {
    @Test func rmatIsDeterministicInItsSeed() {
        #expect(GraphFixtures.rmat(scale: 8, seed: 42) == GraphFixtures.rmat(scale: 8, seed: 42))
        #expect(GraphFixtures.rmat(scale: 8, seed: 42) != GraphFixtures.rmat(scale: 8, seed: 43))
    }

    @Test func rmatIsSkewedSparseAndSigned() {
        let edges = GraphFixtures.rmat(scale: 10, edgeFactor: 8, seed: 9)
        #expect(edges.count == 8 * 1024)
        let g = OracleGraph(edges: edges)
        let degrees = g.outDegrees.values
        let average = Double(edges.count) / Double(g.vertices.count)
        #expect(Double(degrees.max()!) > 20 * average)
        #expect(degrees.contains(0))
        #expect(g.vertices.contains { $0 < 0 })
        #expect(g.vertices.allSatisfy { abs($0) >= 1_000_000_007 && (abs($0) - 1_000_000_007) % 7919 == 0 })
        #expect(edges.contains { $0.source == $0.target })
        #expect(Set(edges.map { [$0.source, $0.target] }).count < edges.count)
    }

    @Test func extremeIdsReplaceRawZeroAndOne() {
        #expect(GraphFixtures.scrambledID(0, extreme: true) == .max)
        #expect(GraphFixtures.scrambledID(1, extreme: true) == .min)
        #expect(GraphFixtures.scrambledID(0) == 1_000_000_007)
        #expect(GraphFixtures.scrambledID(2) == -(2 * 7919 + 1_000_000_007))
        let vertices = OracleGraph(edges: GraphFixtures.rmat(scale: 8, seed: 1, extremeIds: true)).vertices
        #expect(vertices.first == .min && vertices.last == .max)
    }

    @Test func snapTextRoundTripsThroughTheParser() throws {
        for weighted in [false, true] {
            let edges = GraphFixtures.rmat(scale: 8, seed: 5, weighted: weighted, extremeIds: true)
            let text = GraphFixtures.snapText(edges, title: "R-MAT scale 8 seed 5", weighted: weighted)
            #expect(text.hasPrefix("# R-MAT scale 8 seed 5\n"))
            #expect(try OracleGraph(parsing: text).edges == edges)
        }
        let weighted = GraphFixtures.snapText(GraphFixtures.rmat(scale: 8, seed: 5, weighted: true), title: "w", weighted: true)
        let lines = weighted.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(lines.contains { $0.split(separator: "\t").count == 2 })
        #expect(lines.contains { $0.hasSuffix(".25") || $0.hasSuffix(".5") || $0.hasSuffix(".75") })
        #expect(lines.contains { $0.hasSuffix("\t0") })
        #expect(!lines.contains { $0.hasSuffix(".0") })
    }

    @Test func componentsFixtureHasDistinctSignedIds() {
        let (edges, groups) = GraphFixtures.components(seed: 8)
        let all = groups.flatMap { $0 }
        #expect(Set(all).count == all.count)
        #expect(Set(all) == Set(OracleGraph(edges: edges).vertices))
        #expect(all.contains { $0 < 0 } && all.contains { $0 > 0 })
        #expect(groups.filter { $0.count == 2 }.count == 5)
    }

    @Test func writtenFilesReadBack() throws {
        let dir = NSTemporaryDirectory() + "oracle-fixtures-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try GraphFixtures.write(GraphFixtures.handMadeText, to: "\(dir)/nested/hand.txt")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == GraphFixtures.handMadeText)
        #expect(try OracleGraph(contentsOf: path).edges.count == 10)
    }
}
