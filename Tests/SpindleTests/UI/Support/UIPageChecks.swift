import Foundation
import SpindlePosix
import Testing

/// Loads each UI page in headless Chromium and checks its DOM against the job's event log and `_SUCCESS`.
struct UIPageChecks {
    let browser: HeadlessChromium
    let work: String
    /// Where screenshots go (`SPINDLE_UI_SCREENSHOTS`, else `$TMPDIR/spindle-ui-screenshots`), one subfolder per test.
    static func screenshotFolder(_ name: String) throws -> String {
        let root = SystemInfo.environment("SPINDLE_UI_SCREENSHOTS") ?? NSTemporaryDirectory() + "spindle-ui-screenshots"
        let folder = root + "/" + name
        try FileSystem.createDirectory(folder, intermediate: true)
        print("UI screenshots of \(name): \(folder)")
        return folder
    }

    /// The pages of a job: `base` is `http://HOST:PORT` (paths) or `file:///...report.html` (fragments).
    static func pages(base: String, stages: Int, supersteps: Bool) -> [(name: String, url: String)] {
        let live = base.hasPrefix("http")
        func url(_ path: String) -> String { live ? base + path : base + "#" + path }
        var pages = [("job", url("/")), ("workers", url("/workers")), ("timeline", url("/timeline"))]
        pages += (0..<stages).map { ("stage-\($0)", url("/stages/\($0)")) }
        if supersteps { pages.append(("supersteps", url("/supersteps"))) }
        return pages
    }

    /// Loads every page, checks that none throws, that each stage page lists every attempt of the stage,
    /// that the timeline has one bar per attempt, and (when given) that the counters match `_SUCCESS`;
    /// saves a screenshot of each page in `screenshots` when given. Returns the DOM of each page.
    @discardableResult
    func check(base: String, log: EventLogReader, counters: [String: Int]?, screenshots: String?) throws -> [String: String] {
        let stages = log.events(named: "stage_added").count
        let attempts = log.events(named: "attempt_started")
        var doms: [String: String] = [:]
        for (name, url) in Self.pages(base: base, stages: stages, supersteps: !log.events(named: "superstep").isEmpty) {
            let page = try browser.load(url, in: work)
            #expect(page.scriptErrors.isEmpty, "\(name): \(page.scriptErrors)")
            #expect(!page.dom.contains("Loading..."), "\(name) was never rendered")
            doms[name] = page.dom
            // One stage page suffices for a person to look at (a Pregel job has a stage per superstep).
            if let screenshots, !name.hasPrefix("stage-") || name == "stage-0" {
                try browser.screenshot(url, to: "\(screenshots)/\(name).png", in: work)
            }
        }
        for stage in 0..<stages {
            let expected = attempts.filter { $0["stage"] as? Int == stage }.compactMap { $0["attempt"] as? Int }
            let dom = doms["stage-\(stage)"] ?? ""
            #expect(occurrences(of: "<tr class=\"task\"", in: dom) == expected.count, "stage \(stage)")
            for attempt in expected { #expect(dom.contains("data-attempt=\"\(attempt)\""), "stage \(stage) lacks attempt \(attempt)") }
        }
        #expect(occurrences(of: "<rect class=\"bar\"", in: doms["timeline"] ?? "") == attempts.count)
        if let counters {
            let dom = doms["job"] ?? ""
            for (name, value) in counters {
                #expect(dom.contains("data-name=\"\(name)\" data-value=\"\(value)\""), "counter \(name)=\(value) is not on the job page")
            }
            #expect(occurrences(of: "class=\"n counter\"", in: dom) == counters.count)
        }
        return doms
    }

    /// The counters of an output's `_SUCCESS`.
    static func successCounters(_ output: String) throws -> [String: Int] {
        let success = try JSONSerialization.jsonObject(with: Data(FileSystem.readFile(output + "/_SUCCESS"))) as? [String: Any]
        return success?["counters"] as? [String: Int] ?? [:]
    }
}
