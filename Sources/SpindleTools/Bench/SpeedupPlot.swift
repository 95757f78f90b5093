import Spindle

/// `speedup.svg`: measured speedup against worker count, with the ideal line and the baseline's level.
///
/// A static SVG with a fixed 640×460 view box built from `<line>`, `<polyline>`, `<circle>`, `<rect>` and
/// `<text>` only (no scripts, no styles), so any browser shows it. The x axis spans the measured worker
/// counts; the legend sits below the plot area, so it never covers a line.
struct SpeedupPlot: Sendable {
    /// One measured worker count.
    struct Point: Equatable, Sendable {
        /// The `--workers` count.
        let workers: Int
        /// Speedup from median times.
        let speedup: Double
        /// Speedup from the slowest and fastest run.
        let range: ClosedRange<Double>
    }

    /// The visible title, naming the job and its input.
    let title: String
    /// The line under the title, naming the machine and the date.
    let subtitle: String
    /// The measured points, ascending by workers.
    let points: [Point]
    /// The worker count speedups are relative to; the ideal line is S(n) = n / reference.
    let referenceWorkers: Int
    /// The speedup at which Spindle's time equals the baseline's: T(reference) / T(baseline); nil without a baseline.
    let baselineSpeedup: Double?

    /// The view box size.
    static let width = 640.0, height = 460.0
    /// The plot area inside the view box.
    static let left = 70.0, right = 610.0, top = 62.0, bottom = 340.0
    /// Where the first legend entry's line sits, below the x axis's label.
    static let legendTop = 392.0
    /// Space between the plot area's sides and the smallest and largest worker counts.
    static let inset = 24.0

    /// The plot of `report`.
    init(report: BenchReport) {
        title = "spindle bench \(report.context.job)\(Self.inputText(report)): speedup vs workers"
        let machine = report.context.machine?.description ?? "\(report.context.cores) core\(report.context.cores == 1 ? "" : "s")"
        subtitle = "\(machine); \(report.context.date)"
        points = report.rows.map { Point(workers: $0.workers, speedup: $0.speedup, range: $0.speedupRange) }
        referenceWorkers = report.referenceWorkers
        let referenceTime = report.rows.first { $0.workers == report.referenceWorkers }?.time.median
        if let baseline = report.baseline, let referenceTime, baseline.time.median > 0 {
            baselineSpeedup = referenceTime / baseline.time.median
        } else {
            baselineSpeedup = nil
        }
    }

    /// A plot of explicit points.
    init(title: String, subtitle: String = "", points: [Point], referenceWorkers: Int, baselineSpeedup: Double?) {
        self.title = title
        self.subtitle = subtitle
        self.points = points
        self.referenceWorkers = referenceWorkers
        self.baselineSpeedup = baselineSpeedup
    }

    /// " on corpus.txt (512 MiB)": the inputs' file names and the bytes the maps read; empty for sample data.
    static func inputText(_ report: BenchReport) -> String {
        let names = report.context.inputs.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
        let shown = names.count > 3 ? names.prefix(2).joined(separator: ", ") + " and \(names.count - 2) more" : names.joined(separator: ", ")
        let bytes = report.runs.compactMap(\.inputBytes).max()
        let what = shown.isEmpty ? (bytes == nil ? "" : " on its sample data") : " on \(shown)"
        return what + (bytes.map { " (\(BenchFormat.bytes($0)))" } ?? "")
    }

    /// The measured worker counts' span, widened to 1 worker each way when only one count was measured.
    var xSpan: ClosedRange<Double> {
        let counts = points.map { Double($0.workers) }
        let low = counts.min() ?? 1, high = counts.max() ?? 1
        return low < high ? low...high : max(0, low - 1)...(high + 1)
    }

    /// The SVG document.
    func svg() -> String {
        let xMin = xSpan.lowerBound, xMax = xSpan.upperBound
        let ideal = xMax / Double(referenceWorkers)
        let measuredMax = max(ideal, points.map(\.range.upperBound).filter(\.isFinite).max() ?? 0)
        // The baseline's level widens the y axis unless it would flatten the measurements.
        let baselineShown = baselineSpeedup.map { $0.isFinite && $0 > 0 && $0 <= 3 * measuredMax } ?? false
        let yStep = Self.niceStep(max(measuredMax, baselineShown ? baselineSpeedup! : 0) * 1.05, ticks: 6)
        let yMax = (max(measuredMax, baselineShown ? baselineSpeedup! : 0) * 1.05 / yStep).rounded(.up) * yStep
        let xStep = max(1, Self.niceStep(xMax - xMin, ticks: 10).rounded(.up))
        let x = { (n: Double) in Self.left + Self.inset + (Self.right - Self.left - 2 * Self.inset) * (n - xMin) / (xMax - xMin) }
        let y = { (s: Double) in Self.bottom - (Self.bottom - Self.top) * min(s, yMax) / yMax }

        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" "
        out += "width=\"\(Int(Self.width))\" height=\"\(Int(Self.height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        out += "<title>\(MarkupText.escape(subtitle.isEmpty ? title : "\(title) (\(subtitle))"))</title>\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(Int(Self.width))\" height=\"\(Int(Self.height))\" fill=\"white\"/>\n"
        out += text(Self.width / 2, 26, title, anchor: "middle", extra: " class=\"title\" font-size=\"15\" font-weight=\"bold\"")
        out += text(Self.width / 2, 46, subtitle, anchor: "middle", extra: " class=\"subtitle\" fill=\"#444444\"")

        // Grid and y ticks.
        var tick = 0.0
        while tick <= yMax + yStep / 1000 {
            out += line(Self.left, y(tick), Self.right, y(tick), stroke: "#e4e4e4", cls: "grid")
            out += line(Self.left - 5, y(tick), Self.left, y(tick), stroke: "black", cls: "tick")
            out += text(Self.left - 8, y(tick) + 4, Self.tickLabel(tick), anchor: "end")
            tick += yStep
        }
        // X ticks, from the smallest measured count; the largest one is always labelled.
        var xTicks = stride(from: xMin, through: xMax + 0.001, by: xStep).map { $0 }
        if let last = xTicks.last, xMax - last > 0.001 {
            if xTicks.count > 1 && xMax - last < xStep / 2 { xTicks.removeLast() }
            xTicks.append(xMax)
        }
        for n in xTicks {
            out += line(x(n), Self.bottom, x(n), Self.bottom + 5, stroke: "black", cls: "tick")
            out += text(x(n), Self.bottom + 19, Self.tickLabel(n), anchor: "middle")
        }
        // Axes and their labels.
        out += line(Self.left, Self.bottom, Self.right, Self.bottom, stroke: "black", cls: "axis")
        out += line(Self.left, Self.top, Self.left, Self.bottom, stroke: "black", cls: "axis")
        out += text((Self.left + Self.right) / 2, Self.bottom + 42, "workers (n)", anchor: "middle")
        let yLabel = "speedup S(n) = T(\(referenceWorkers)) / T(n)"
        out += "<text x=\"20\" y=\"\(Self.number((Self.top + Self.bottom) / 2))\" text-anchor=\"middle\" "
        out += "transform=\"rotate(-90 20 \(Self.number((Self.top + Self.bottom) / 2)))\">\(MarkupText.escape(yLabel))</text>\n"

        // Ideal line S(n) = n / reference, and the baseline's level.
        out += line(x(xMin), y(xMin / Double(referenceWorkers)), x(xMax), y(ideal), stroke: "#888888", cls: "ideal", dashed: true)
        if baselineShown, let level = baselineSpeedup {
            out += line(Self.left, y(level), Self.right, y(level), stroke: "#d9822b", cls: "baseline", dashed: true)
        }

        // Measurements: range bars, the median polyline, one circle per worker count with its value.
        for point in points where point.range.lowerBound.isFinite && point.range.upperBound.isFinite {
            out += line(
                x(Double(point.workers)), y(point.range.lowerBound), x(Double(point.workers)), y(point.range.upperBound),
                stroke: "#1f5fbf", cls: "range")
        }
        let path = points.map { "\(Self.number(x(Double($0.workers)))),\(Self.number(y($0.speedup)))" }.joined(separator: " ")
        out += "<polyline class=\"measured\" points=\"\(path)\" fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2\"/>\n"
        for point in points {
            let cx = x(Double(point.workers)), cy = y(point.speedup)
            out += "<circle class=\"point\" cx=\"\(Self.number(cx))\" cy=\"\(Self.number(cy))\" r=\"4\" fill=\"#1f5fbf\"/>\n"
            out += text(cx + 7, cy - 7, BenchFormat.ratio(point.speedup), anchor: "start", extra: " fill=\"#1f5fbf\"")
        }
        out += legend(baselineShown: baselineShown)
        out += "</svg>\n"
        return out
    }

    private func legend(baselineShown: Bool) -> String {
        var entries: [(label: String, stroke: String, dashed: Bool)] = [
            ("measured: median, bar from slowest to fastest run", "#1f5fbf", false),
            (referenceWorkers == 1 ? "ideal: S(n) = n" : "ideal: S(n) = n / \(referenceWorkers)", "#888888", true),
        ]
        if let level = baselineSpeedup {
            let placement = baselineShown ? "" : ", above the plot"
            entries.append(("baseline's time: S = \(BenchFormat.ratio(level))\(placement)", "#d9822b", true))
        }
        let boxHeight = Double(entries.count) * 18 + 8
        var out = "<rect class=\"legend-box\" x=\"\(Self.number(Self.left))\" y=\"\(Self.number(Self.legendTop))\" width=\"360\" "
        out += "height=\"\(Self.number(boxHeight))\" fill=\"white\" stroke=\"#cccccc\"/>\n"
        for (index, entry) in entries.enumerated() {
            let ly = Self.legendTop + 14 + Double(index) * 18
            out += line(Self.left + 8, ly - 4, Self.left + 36, ly - 4, stroke: entry.stroke, cls: "legend", dashed: entry.dashed)
            out += text(Self.left + 42, ly, entry.label, anchor: "start")
        }
        return out
    }

    private func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, cls: String, dashed: Bool = false) -> String {
        let dash = dashed ? " stroke-dasharray=\"6 4\"" : ""
        let width = cls == "grid" ? "1" : "1.5"
        return "<line class=\"\(cls)\" x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\" "
            + "stroke=\"\(stroke)\" stroke-width=\"\(width)\"\(dash)/>\n"
    }

    private func text(_ x: Double, _ y: Double, _ content: String, anchor: String, extra: String = "") -> String {
        "<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" text-anchor=\"\(anchor)\"\(extra)>\(MarkupText.escape(content))</text>\n"
    }

    /// A step of 1, 2 or 5 times a power of ten giving at most about `ticks` intervals over `0...span`.
    static func niceStep(_ span: Double, ticks: Int) -> Double {
        guard span.isFinite, span > 0 else { return 1 }
        let raw = span / Double(ticks)
        var power = 1.0
        while power * 10 <= raw { power *= 10 }
        while power > raw { power /= 10 }
        for factor in [1.0, 2.0, 5.0, 10.0] where factor * power >= raw { return factor * power }
        return 10 * power
    }

    /// A tick value without needless decimals: `2`, `0.5`, `1.25`.
    static func tickLabel(_ value: Double) -> String {
        for digits in 0...3 {
            let text = BenchFormat.fixed(value, digits)
            if let parsed = Double(text), abs(parsed - value) < 1e-9 { return text }
        }
        return BenchFormat.fixed(value, 3)
    }

    /// A coordinate with one decimal.
    static func number(_ value: Double) -> String { BenchFormat.fixed(value, 1) }

}
