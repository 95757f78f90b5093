import Foundation
@testable import Spindle
import SpindleCore
import SpindlePosix
import Testing

/// An aggregator name (or index) the job does not declare fails the task with a sentence naming it and the
/// declared ones, in both engines; it never traps the worker.
@Suite struct UnknownAggregatorTests {
    private let sentence = "the job used aggregator 'undeclared', which it does not declare (it declares 'counted')"

    @Test func vertexContextRecordsAnUndeclaredNameAndKeepsTheDeclaredOnes() throws {
        let dir = try TemporaryDirectory()
        let counters = Counters()
        let sink = MapOutputSink<Double>(
            budget: 1 << 20, partitioner: PartitionFunction(kind: .hash, partitions: 1), combine: nil, scratchPrefix: dir.file("t"),
            counters: counters, direct: nil)
        let vertex = VertexContext<Double, Unweighted, Double>(
            initial: 0, partition: GraphPartition(), aggregators: [.sum("counted")], previous: AggregatorValues(values: [4]), globals: [:],
            outbox: MessageOutbox(output: MapOutput(sink: sink, combine: nil, counters: counters)))
        vertex.aggregate("counted", 2)
        #expect(vertex.failure == nil)
        vertex.aggregate("undeclared", 1)
        #expect(vertex.aggregated("undeclared").isNaN)
        vertex.aggregate("counted", 3)
        #expect(vertex.aggregated("counted") == 4)
        #expect(vertex.aggregates == AggregatorValues(values: [5]), "the undeclared contribution lands behind the declared ones")
        #expect(vertex.failure?.description.hasPrefix(sentence) == true, "\(String(describing: vertex.failure))")
    }

    @Test func bspContextRecordsUndeclaredNamesAndIndices() throws {
        let dir = try TemporaryDirectory()
        func context() -> BSPContext<Int64> {
            BSPContext(
                superstep: 1, partition: 0, partitionCount: 1, outbox: BSPOutbox(partitionCount: 1, budget: 1 << 20, scratchPrefix: dir.file("t")),
                aggregators: [.sum("counted")], previous: AggregatorValues(values: [4]), globals: [:])
        }
        let byName = context()
        #expect(byName.aggregated("counted") == 4)
        #expect(byName.outbox.failure == nil)
        #expect(byName.aggregated("undeclared").isNaN)
        #expect((byName.outbox.failure as? TaskFailure)?.description.hasPrefix(sentence) == true)
        let contributing = context()
        contributing.aggregate("undeclared", 1)
        #expect((contributing.outbox.failure as? TaskFailure)?.description.hasPrefix(sentence) == true)
        let byIndex = context()
        #expect(byIndex.aggregated(1).isNaN)
        #expect(
            (byIndex.outbox.failure as? TaskFailure)?.description
                == "the job used aggregator number 1, but it declares 'counted'; use an index in 0..<1 or declare the aggregator")
    }

    /// The whole path: the task fails with the sentence, the job fails with exit code 1, and no worker is lost.
    @Test(arguments: ["pregel-badaggregator", "bsp-badaggregator"])
    func anUndeclaredAggregatorFailsTheJobWithASentence(job: String) throws {
        let dir = try TemporaryDirectory()
        try "1 2\n2 3\n3 1\n".write(toFile: dir.file("g.txt"), atomically: true, encoding: .utf8)
        let result = try TestJobsBinary.run(
            ["run", job, "--input", dir.file("g.txt"), "--output", dir.file("out"), "--workers", "1", "--max-attempts", "1"], in: dir.path)
        #expect(result.exitCode == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.contains(sentence), "stderr: \(result.stderr)")
        #expect(!result.stderr.contains("lost"), "the worker must survive: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("out/_SUCCESS")))
    }
}
