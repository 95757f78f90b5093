import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
@testable import Spindle
@testable import SpindleTools
import Testing

/// `speedup.svg` is well-formed XML with one point per worker count, the ideal line and labelled axes.
@Suite struct SpeedupPlotTests {
    /// The elements of an XML document, with their attributes and text, or nil when it is not well-formed.
    final class ElementCollector: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        var texts: [String] = []

        static func parse(_ text: String) -> ElementCollector? {
            let collector = ElementCollector()
            let parser = XMLParser(data: Data(text.utf8))
            parser.delegate = collector
            return parser.parse() ? collector : nil
        }

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            elements.append((elementName, attributes))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            texts.append(string)
        }

        func elements(_ name: String, cls: String? = nil) -> [[String: String]] {
            elements.filter { $0.name == name && (cls == nil || $0.attributes["class"] == cls) }.map(\.attributes)
        }
    }

    static func report(job: String = "wordcount", baseline: Double? = 3) -> BenchReport {
        var runs = [BenchReportTests.spindle(1, 10), BenchReportTests.spindle(2, 5.5), BenchReportTests.spindle(4, 3.1)]
        if let baseline { runs.append(BenchReportTests.baseline(baseline)) }
        var context = BenchReportTests.context
        context.job = job
        return BenchReport(context: context, runs: runs)
    }

    @Test func svgIsWellFormedWithOnePointPerWorkerCountAndTheIdealLine() throws {
        let svg = SpeedupPlot(report: Self.report()).svg()
        let document = try #require(ElementCollector.parse(svg), "not well-formed XML:\n\(svg)")
        #expect(document.elements.first?.name == "svg")
        #expect(document.elements.first?.attributes["viewBox"] == "0 0 640 460")
        #expect(document.elements("circle", cls: "point").count == 3)
        #expect(document.elements("line", cls: "ideal").count == 1)
        #expect(document.elements("polyline", cls: "measured").count == 1)
        #expect(document.elements("line", cls: "baseline").count == 1)
        #expect(document.elements("script").isEmpty)
        let allText = document.texts.joined()
        #expect(allText.contains("spindle bench wordcount"))
        #expect(allText.contains("2026-01-02 03:04 UTC"))
        #expect(allText.contains("workers (n)"))
        #expect(allText.contains("ideal: S(n) = n"))
    }

    @Test func pointsSitOnTheirWorkerCountsAndTheIdealLineRisesOnePerWorker() throws {
        let svg = SpeedupPlot(report: Self.report(baseline: nil)).svg()
        let document = try #require(ElementCollector.parse(svg))
        let xs = document.elements("circle", cls: "point").compactMap { $0["cx"].flatMap(Double.init) }
        #expect(xs.count == 3)
        #expect(xs == xs.sorted())
        // Equal spacing in workers: 1 → 2 is one step, 2 → 4 two steps.
        #expect(abs((xs[2] - xs[1]) - 2 * (xs[1] - xs[0])) < 0.2)
        let ideal = try #require(document.elements("line", cls: "ideal").first)
        let x1 = try #require(ideal["x1"].flatMap(Double.init)), x2 = try #require(ideal["x2"].flatMap(Double.init))
        let y1 = try #require(ideal["y1"].flatMap(Double.init)), y2 = try #require(ideal["y2"].flatMap(Double.init))
        // The ideal line passes through the point of S(1) = 1 (exact here).
        let first = try #require(document.elements("circle", cls: "point").first)
        let cy = try #require(first["cy"].flatMap(Double.init))
        let yOnIdeal = y1 + (y2 - y1) * (xs[0] - x1) / (x2 - x1)
        #expect(abs(yOnIdeal - cy) < 0.2)
        #expect(document.elements("line", cls: "baseline").isEmpty)
        #expect(document.elements("line", cls: "tick").count >= 6)
    }

    @Test func theXAxisSpansTheMeasuredWorkerCountsOnly() throws {
        var context = BenchReportTests.context
        context.inputs = ["/data/big/corpus.txt"]
        let runs = [BenchReportTests.spindle(2, 10), BenchReportTests.spindle(4, 5.5), BenchReportTests.spindle(8, 3.1)]
        let document = try #require(ElementCollector.parse(SpeedupPlot(report: BenchReport(context: context, runs: runs)).svg()))
        let ticks = document.elements("line", cls: "tick").filter { $0["y1"] == "340.0" && $0["y2"] == "345.0" }
        let tickXs = ticks.compactMap { $0["x1"].flatMap(Double.init) }.sorted()
        let pointXs = document.elements("circle", cls: "point").compactMap { $0["cx"].flatMap(Double.init) }
        #expect(tickXs.first == pointXs.first, "the first x tick is at 2 workers, not at 0")
        #expect(tickXs.last == pointXs.last, "the last x tick is at 8 workers")
        #expect(!tickXs.contains { $0 < SpeedupPlot.left + 1 }, "no tick on the y axis (0 workers)")
    }

    @Test func theLegendSitsOutsideThePlotArea() throws {
        for baseline in [nil, 3.0, 100.0] {
            let document = try #require(ElementCollector.parse(SpeedupPlot(report: Self.report(baseline: baseline)).svg()))
            let box = try #require(document.elements("rect", cls: "legend-box").first)
            let top = try #require(box["y"].flatMap(Double.init))
            #expect(top > SpeedupPlot.bottom + 30, "the legend starts below the x axis and its labels")
            let height = try #require(box["height"].flatMap(Double.init))
            #expect(top + height <= SpeedupPlot.height, "the legend fits in the view box")
            for entry in document.elements("line", cls: "legend") {
                #expect((entry["y1"].flatMap(Double.init) ?? 0) > SpeedupPlot.bottom)
            }
        }
    }

    @Test func theTitleNamesTheJobTheInputAndTheMachine() throws {
        var context = BenchReportTests.context
        context.inputs = ["/data/big/corpus.txt"]
        context.machine = BenchMachine(cores: 2, memoryBytes: 8 << 30, cpuModel: "AMD EPYC 7B13", hostName: "bench-1")
        var runs = [BenchReportTests.spindle(1, 10), BenchReportTests.spindle(2, 5.5)]
        runs[0].inputBytes = 512 << 20
        let document = try #require(ElementCollector.parse(SpeedupPlot(report: BenchReport(context: context, runs: runs)).svg()))
        let title = document.texts.joined()
        for part in ["spindle bench wordcount", "corpus.txt", "(512 MiB)", "2 cores", "8 GiB", "AMD EPYC 7B13", "bench-1", "2026-01-02 03:04 UTC"] {
            #expect(title.contains(part), "the title lacks \(part)")
        }
    }

    @Test func theMachineIsReadFromProcFiles() {
        #expect(BenchMachine.memoryBytes(meminfo: "MemTotal:       24683780 kB\nMemFree: 1 kB\n") == 24_683_780 * 1024)
        #expect(BenchMachine.memoryBytes(meminfo: "nothing") == nil)
        #expect(BenchMachine.cpuModel(cpuinfo: "processor\t: 0\nmodel name\t: AMD  EPYC\t7B13\n") == "AMD EPYC 7B13")
        #expect(BenchMachine.cpuModel(cpuinfo: "Hardware\t: BCM2835\n") == "BCM2835")
        #expect(BenchMachine.cpuModel(cpuinfo: "") == nil)
        let machine = BenchMachine(cores: 1, memoryBytes: nil, cpuModel: nil, hostName: "")
        #expect(machine.description == "1 core")
    }

    @Test func markupInTheJobNameIsEscaped() throws {
        let svg = SpeedupPlot(report: Self.report(job: "a<b>&\"c\"")).svg()
        let document = try #require(ElementCollector.parse(svg))
        #expect(document.texts.joined().contains("a<b>&\"c\""))
    }

    @Test(arguments: [(0.9, 0.2), (3.0, 0.5), (4.2, 1.0), (10.5, 2.0), (25.0, 5.0), (100.0, 20.0)])
    func niceStepsAreOneTwoOrFiveTimesAPowerOfTen(span: Double, step: Double) {
        #expect(abs(SpeedupPlot.niceStep(span, ticks: 6) - step) < 1e-9)
    }
}
