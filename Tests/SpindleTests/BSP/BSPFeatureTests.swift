import Foundation
import Testing

/// Delivery order, exactly-once delivery, aggregators, master compute and halting of the BSP API, with the
/// test jobs `bsporder` and `bspmaster`.
@Suite struct BSPFeatureTests {
    private func run(
        _ job: String, workers: Int = 2, partitions: Int, _ extra: [String], in dir: TemporaryDirectory, output: String = "out"
    ) throws -> JobOutput {
        let result = try TestJobsBinary.run(
            ["run", job, "--input", dir.file("in"), "--output", dir.file(output), "--workers", "\(workers)", "--partitions", "\(partitions)"] + extra,
            in: dir.path)
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")
        return JobOutput(directory: dir.file(output))
    }

    /// `p -> [fields]` from `p<TAB>field...` lines.
    private func rows(_ output: JobOutput) throws -> [Int: [String]] {
        var rows: [Int: [String]] = [:]
        for line in try output.lines() {
            let fields = line.split(separator: "\t").map(String.init)
            rows[Int(fields[0])!] = Array(fields.dropFirst())
        }
        return rows
    }

    @Test(arguments: [1, 3])
    func sendToPartitionDeliversEveryMessageOnceInSenderThenSendOrder(workers: Int) throws {
        let dir = try TemporaryDirectory()
        let lines = 6000
        try GraphFixtures.write((0..<lines).map { "\($0)\n" }.joined(), to: dir.file("in/numbers.txt"))
        let (partitions, rounds, perDestination) = (4, 3, 40_000)
        // 160,000 sends per task against a 1 MiB buffer: the outbox spills several runs per superstep.
        let output = try run(
            "bsporder", workers: workers, partitions: partitions,
            ["--split-size", "4KiB", "--memory", "2MiB", "--param", "rounds=\(rounds)", "--param", "messages=\(perDestination)"], in: dir)
        let rows = try rows(output)
        #expect(rows.keys.sorted() == Array(0..<partitions))
        for p in 0..<partitions {
            // Line v goes to v % P and (v + 1) % P.
            let loaded = (0..<lines).filter { $0 % partitions == p }.count + (0..<lines).filter { ($0 + 1) % partitions == p }.count
            #expect(
                rows[p] == ["\(loaded)", "0", "\(rounds * partitions * perDestination)", "0"],
                "partition \(p): loaded, load errors, received, order errors")
        }
        let counters = try output.counters()
        #expect(counters["bsp.messages"] == rounds * partitions * partitions * perDestination)
        #expect(counters["bsp.supersteps"] == rounds + 1, "halted partitions are woken by messages; with none in flight the job ends")
        #expect(counters["input.records"] == lines)
    }

    @Test func aggregatorsMasterComputeGlobalsAndHaltingWork() throws {
        let dir = try TemporaryDirectory()
        try GraphFixtures.write("1\n2\n", to: dir.file("in/x.txt"))
        let partitions = 3
        let output = try run("bspmaster", partitions: partitions, [], in: dir)
        let expected = Dictionary(uniqueKeysWithValues: (0..<partitions).map { ($0, ["28.0", "\(Double(partitions))", "0"]) })
        #expect(try rows(output) == expected, "acc, partitions seen by master compute, aggregator errors")
        let success = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.file("out/_SUCCESS")))) as! [String: Any]
        #expect(success["aggregators"] as? [String: Double] == ["one": Double(partitions), "smallest": 0, "largest": Double(partitions - 1)])
        #expect(try output.counters()["bsp.supersteps"] == 8, "master compute halts after superstep 7")
    }

    @Test func aMalformedLoadLineNamesFileAndLine() throws {
        let dir = try TemporaryDirectory()
        try GraphFixtures.write("1\n2\nthree\n4\n", to: dir.file("in/n.txt"))
        let result = try TestJobsBinary.run(
            ["run", "bsporder", "--input", dir.file("in"), "--output", dir.file("out"), "--workers", "1"], in: dir.path)
        #expect(result.exitCode == 2, "bad input fails at its first attempt with exit code 2")
        #expect(result.stderr.contains("malformed record at \(dir.file("in/n.txt")):3: 'three' is not an integer"), "stderr: \(result.stderr)")
        // Skipped: its sends are dropped with it, so every partition still sees an ascending, complete load.
        let output = try run("bsporder", workers: 1, partitions: 2, ["--skip-bad-records", "--param", "rounds=0"], in: dir, output: "out2")
        #expect(try rows(output) == [0: ["3", "0", "0", "0"], 1: ["3", "0", "0", "0"]])
        #expect(try output.counters()["input.skipped.records"] == 1)
    }
}
