import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import Spindle
import SpindleTools
import SpindlePosix
import Testing

/// `spindle bench` end to end: real runs of the shipped sample, against a trivial baseline.
@Suite struct BenchCommandTests {
    @Test func benchOfTheSampleWithABaselinePrintsTheTableAndWritesParsableFiles() throws {
        let dir = try TemporaryDirectory()
        let sample = try SampleData.textCorpus()
        let outputDirectory = dir.file("bench")
        let result = try SpindleProcess.run(
            [
                "bench", "wordcount", "--workers", "1,2", "--repeat", "1", "--baseline", "cat '\(sample)' > /dev/null", "--output-dir",
                outputDirectory,
            ],
            in: dir.path, timeout: .seconds(300))
        #expect(result.exitCode == 0, "stderr: \(result.stderr)")

        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("spindle bench wordcount: 1 run per worker count") == true, "stdout: \(result.stdout)")
        for row in ["  baseline ", "  1 ", "  2 "] {
            #expect(lines.contains { $0.hasPrefix(row) }, "no row '\(row)' in:\n\(result.stdout)")
        }
        #expect(result.stdout.contains("map") && result.stdout.contains("reduce") && result.stdout.contains("shuffled"))
        let verdicts = [
            "Spindle needs 1 worker to beat the baseline", "Spindle needs 2 workers to beat the baseline",
            "no worker count measured beats the baseline",
        ]
        #expect(verdicts.contains(lines.last ?? ""), "stdout: \(result.stdout)")

        let summary = try String(contentsOfFile: "\(outputDirectory)/summary.txt", encoding: .utf8)
        #expect(summary == result.stdout)
        let csv = try String(contentsOfFile: "\(outputDirectory)/runs.csv", encoding: .utf8)
        let csvLines = csv.split(separator: "\n")
        #expect(csvLines.count == 4)
        #expect(csvLines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).first } == ["baseline", "spindle", "spindle"])
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(outputDirectory)/runs.json")))
        let runs = try #require((json as? [String: Any])?["runs"] as? [[String: Any]])
        #expect(runs.map { $0["kind"] as? String } == ["baseline", "spindle", "spindle"])
        #expect(runs.allSatisfy { (($0["wallSeconds"] as? NSNumber)?.doubleValue ?? 0) > 0 })
        let svg = try Data(contentsOf: URL(fileURLWithPath: "\(outputDirectory)/speedup.svg"))
        #expect(XMLParser(data: svg).parse())
        #expect(String(decoding: svg, as: UTF8.self).components(separatedBy: "<circle class=\"point\"").count == 3)

        // The report of the (fastest) run of each worker count, as `spindle report` writes it.
        for name in ["report-1-worker.html", "report-2-workers.html"] {
            let html = try String(contentsOfFile: "\(outputDirectory)/\(name)", encoding: .utf8)
            #expect(html.contains("<script type=\"application/json\" id=\"spindle-data\">"), "\(name) embeds its job")
            #expect(html.contains("\"name\":\"wordcount\"") && html.contains("\"state\":\"succeeded\""), "\(name)")
        }
        #expect(result.stderr.contains("report-2-workers.html"))
    }
}
