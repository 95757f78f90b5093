import Foundation
import Testing

@Suite struct OracleGraphTests {
    @Test func handMadeGraphKeepsEveryEdgeLine() throws {
        let g = try OracleGraph(parsing: GraphFixtures.handMadeText)
        #expect(g.vertices == [-4, 1, 2, 3, 7, 100])
        #expect(g.edges.count == 10)
        #expect(g.edges.filter { $0.source == 1 && $0.target == 2 }.count == 2)
        #expect(g.edges.contains(OracleGraph.Edge(source: 3, target: 3, weight: 1)))
        #expect(g.edges.contains(OracleGraph.Edge(source: 3, target: -4, weight: 0.5)))
        #expect(g.edges.contains(OracleGraph.Edge(source: 100, target: 1, weight: 4)))
        #expect(g.outDegrees == [-4: 2, 1: 2, 2: 2, 3: 3, 7: 0, 100: 1])
    }

    @Test func undirectedAddsEveryReverseIncludingSelfLoops() throws {
        let g = try OracleGraph(parsing: GraphFixtures.handMadeText, undirected: true)
        #expect(g.edges.count == 20)
        #expect(g.edges.filter { $0.source == 3 && $0.target == 3 }.count == 2)
        #expect(g.edges.contains(OracleGraph.Edge(source: 7, target: 2, weight: 1)))
        #expect(g.edges.contains(OracleGraph.Edge(source: 1, target: 100, weight: 4)))
        #expect(g.outDegrees[7] == 1)
    }

    @Test func extremeIdsAndSignsParse() throws {
        let g = try OracleGraph(parsing: "9223372036854775807\t-9223372036854775808\n+5 -0\t2.25\r\n")
        #expect(g.vertices == [.min, 0, 5, .max])
        #expect(g.edges.last == OracleGraph.Edge(source: 5, target: 0, weight: 2.25))
    }

    @Test func malformedLinesAreRejectedWithTheirLineNumber() {
        for bad in ["1", "1 2 3 4", "1 x", "1 2 w", "1 2 inf", "99999999999999999999 1"] {
            #expect(throws: OracleGraph.ParseError.self) { try OracleGraph(parsing: "# ok\n1 2\n\(bad)\n") }
        }
        do {
            _ = try OracleGraph(parsing: "# ok\n1 2\n1 2 3 4\n")
            Issue.record("expected a parse error")
        } catch let error as OracleGraph.ParseError {
            #expect(error.line == 3)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func severalFilesFormOneGraph() throws {
        let dir = NSTemporaryDirectory() + "oracle-graph-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = try GraphFixtures.write("# part a\n1\t2\n", to: "\(dir)/a.txt")
        let b = try GraphFixtures.write("2\t3\t0.5\n", to: "\(dir)/b.txt")
        let g = try OracleGraph(contentsOf: [a, b], undirected: true)
        #expect(g.vertices == [1, 2, 3])
        #expect(g.edges.count == 4)
    }
}
