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
        #expect(document.elements.first?.attributes["viewBox"] == "0 0 640 420")
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
        // The ideal line starts at the origin and passes through the point of S(1) = 1 (exact here).
        let first = try #require(document.elements("circle", cls: "point").first)
        let cy = try #require(first["cy"].flatMap(Double.init))
        let yOnIdeal = y1 + (y2 - y1) * (xs[0] - x1) / (x2 - x1)
        #expect(abs(yOnIdeal - cy) < 0.2)
        #expect(document.elements("line", cls: "baseline").isEmpty)
        #expect(document.elements("line", cls: "tick").count >= 6)
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
