import Spindle

/// `speedup.svg`: measured speedup against worker count, with the ideal line and the baseline's level.
///
/// A static SVG with a fixed 640×420 view box built from `<line>`, `<polyline>`, `<circle>` and `<text>`
/// only (no scripts, no styles), so any browser shows it.
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

    /// The visible title, naming the job and the date.
    let title: String
    /// The measured points, ascending by workers.
    let points: [Point]
    /// The worker count speedups are relative to; the ideal line is S(n) = n / reference.
    let referenceWorkers: Int
    /// The speedup at which Spindle's time equals the baseline's: T(reference) / T(baseline); nil without a baseline.
    let baselineSpeedup: Double?

    /// The view box size.
    static let width = 640.0, height = 420.0
    /// The plot area inside the view box.
    static let left = 70.0, right = 590.0, top = 62.0, bottom = 360.0

    /// The plot of `report`.
    init(report: BenchReport) {
        title = "spindle bench \(report.context.job): speedup vs workers, \(report.context.date)"
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
    init(title: String, points: [Point], referenceWorkers: Int, baselineSpeedup: Double?) {
        self.title = title
        self.points = points
        self.referenceWorkers = referenceWorkers
        self.baselineSpeedup = baselineSpeedup
    }

    /// The SVG document.
    func svg() -> String {
        let xMax = Double(max(2, points.map(\.workers).max() ?? 1))
        let ideal = xMax / Double(referenceWorkers)
        let measuredMax = max(ideal, points.map(\.range.upperBound).filter(\.isFinite).max() ?? 0)
        // The baseline's level widens the y axis unless it would flatten the measurements.
        let baselineShown = baselineSpeedup.map { $0.isFinite && $0 > 0 && $0 <= 3 * measuredMax } ?? false
        let yStep = Self.niceStep(max(measuredMax, baselineShown ? baselineSpeedup! : 0) * 1.05, ticks: 6)
        let yMax = (max(measuredMax, baselineShown ? baselineSpeedup! : 0) * 1.05 / yStep).rounded(.up) * yStep
        let xStep = max(1, Self.niceStep(xMax, ticks: 10).rounded(.up))
        let x = { (n: Double) in Self.left + (Self.right - Self.left) * n / xMax }
        let y = { (s: Double) in Self.bottom - (Self.bottom - Self.top) * min(s, yMax) / yMax }

        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" "
        out += "width=\"\(Int(Self.width))\" height=\"\(Int(Self.height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        out += "<title>\(MarkupText.escape(title))</title>\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(Int(Self.width))\" height=\"\(Int(Self.height))\" fill=\"white\"/>\n"
        out += text(Self.width / 2, 30, title, anchor: "middle", extra: " font-size=\"15\" font-weight=\"bold\"")

        // Grid and y ticks.
        var tick = 0.0
        while tick <= yMax + yStep / 1000 {
            out += line(Self.left, y(tick), Self.right, y(tick), stroke: "#e4e4e4", cls: "grid")
            out += line(Self.left - 5, y(tick), Self.left, y(tick), stroke: "black", cls: "tick")
            out += text(Self.left - 8, y(tick) + 4, Self.tickLabel(tick), anchor: "end")
            tick += yStep
        }
        // X ticks.
        var n = 0.0
        while n <= xMax + 0.001 {
            out += line(x(n), Self.bottom, x(n), Self.bottom + 5, stroke: "black", cls: "tick")
            out += text(x(n), Self.bottom + 19, Self.tickLabel(n), anchor: "middle")
            n += xStep
        }
        // Axes and their labels.
        out += line(Self.left, Self.bottom, Self.right, Self.bottom, stroke: "black", cls: "axis")
        out += line(Self.left, Self.top, Self.left, Self.bottom, stroke: "black", cls: "axis")
        out += text((Self.left + Self.right) / 2, Self.bottom + 42, "workers (n)", anchor: "middle")
        let yLabel = "speedup S(n) = T(\(referenceWorkers)) / T(n)"
        out += "<text x=\"20\" y=\"\(Self.number((Self.top + Self.bottom) / 2))\" text-anchor=\"middle\" "
        out += "transform=\"rotate(-90 20 \(Self.number((Self.top + Self.bottom) / 2)))\">\(MarkupText.escape(yLabel))</text>\n"

        // Ideal line S(n) = n / reference, and the baseline's level.
        out += line(x(0), y(0), x(xMax), y(ideal), stroke: "#888888", cls: "ideal", dashed: true)
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
        var out = "<rect class=\"legend-box\" x=\"\(Self.number(Self.left + 6))\" y=\"\(Self.number(Self.top))\" width=\"330\" "
        out += "height=\"\(Self.number(boxHeight))\" fill=\"white\" fill-opacity=\"0.9\" stroke=\"#cccccc\"/>\n"
        for (index, entry) in entries.enumerated() {
            let ly = Self.top + 14 + Double(index) * 18
            out += line(Self.left + 12, ly - 4, Self.left + 40, ly - 4, stroke: entry.stroke, cls: "legend", dashed: entry.dashed)
            out += text(Self.left + 46, ly, entry.label, anchor: "start")
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
