import Foundation
import SpindlePosix
import Testing

/// `spindle run` with the live UI and `spindle report`, as separate processes, checked over TCP and in
/// headless Chromium (skipped, with the reason printed, where chromium is not installed).
@Suite(.serialized) struct UIProcessTests {
    static let apiPaths = ["/api/model", "/api/job", "/api/stages", "/api/stages/0", "/api/workers", "/api/timeline", "/api/supersteps"]
    static let pagePaths = ["/", "/workers", "/stages/0", "/stages/1", "/timeline", "/supersteps"]

    /// The port from the run's "UI at http://127.0.0.1:PORT/" line.
    static func uiPort(_ stderrPath: String) -> UInt16? {
        guard let text = try? String(contentsOfFile: stderrPath, encoding: .utf8), let range = text.range(of: "UI at http://127.0.0.1:") else {
            return nil
        }
        return UInt16(text[range.upperBound...].prefix { $0.isNumber })
    }

    static func fetchEverything(_ port: UInt16) throws {
        for path in apiPaths + pagePaths {
            #expect(try HTTPTestClient.get(port: port, path).status == 200, "GET \(path)")
        }
    }

    @Test func theLiveUIServesEveryPageDuringAndAfterTheRun() throws {
        let dir = try TemporaryDirectory()
        try FileSystem.createDirectory(dir.file("in"), intermediate: true)
        #expect(
            try SpindleProcess.run(["generate", "text", "--size", "16MiB", "--seed", "1", dir.file("in/corpus.txt")], in: dir.path).exitCode == 0)
        let job = try SpindleProcess.start(
            [
                "run", "wordcount", "--input", dir.file("in"), "--output", dir.file("out"), "--workers", "2", "--split-size", "512KiB",
                "--ui", "127.0.0.1:0", "--ui-linger", "10m",
            ],
            in: dir.path, name: "run")
        let port = try #require(eventually(within: .seconds(60)) { Self.uiPort(job.stderrPath) != nil } ? Self.uiPort(job.stderrPath) : nil)
        // During the run.
        #expect(eventually(within: .seconds(60)) { ((try? HTTPTestClient.json(port: port, "/api/job"))?["attempts"] as? Int ?? 0) > 0 })
        let during = try HTTPTestClient.json(port: port, "/api/job")
        try Self.fetchEverything(port)
        let browser = HeadlessChromium.find()
        if let browser, during["state"] as? String == "running" {
            // Every page while the job runs (as long as it still runs: a page loaded after the end is checked below).
            let folder = try UIPageChecks.screenshotFolder("live-running")
            var loaded = 0
            for (name, url) in UIPageChecks.pages(base: "http://127.0.0.1:\(port)", stages: 2, supersteps: false) {
                let page = try browser.load(url, in: dir.path, budgetMilliseconds: 1500)
                guard page.dom.contains("id=\"job-title\">wordcount (running)") else { break }
                loaded += 1
                #expect(page.scriptErrors.isEmpty, "\(name): \(page.scriptErrors)")
                #expect(!page.dom.contains("Loading..."), "\(name) was never rendered")
                switch name {
                case "job": #expect(page.dom.contains("<tr class=\"stage\""))
                case "workers":
                    #expect(occurrences(of: "<tr class=\"worker\"", in: page.dom) == 2)
                    #expect(occurrences(of: "<span class=\"hb\">", in: page.dom) == 2, "each live worker shows its heartbeat age")
                case "timeline": #expect(page.dom.contains("<rect class=\"bar\""))
                default: #expect(page.dom.contains("<table id=\"tasks\">"))
                }
                if name == "job" || name == "workers" { try browser.screenshot(url, to: "\(folder)/\(name).png", in: dir.path) }
            }
            print("UI pages loaded while the job ran: \(loaded)")
        }
        // After it, while the UI lingers.
        #expect(eventually(within: .seconds(120)) { (try? HTTPTestClient.json(port: port, "/api/job"))?["state"] as? String == "succeeded" })
        try Self.fetchEverything(port)
        let log = EventLogReader(path: dir.file("out/_logs/events.jsonl"))
        let counters = try UIPageChecks.successCounters(dir.file("out"))
        let job2 = try HTTPTestClient.json(port: port, "/api/job")
        #expect(job2["counters"] as? [String: Int] == counters)
        if let browser {
            let checks = UIPageChecks(browser: browser, work: dir.path)
            try checks.check(base: "http://127.0.0.1:\(port)", log: log, counters: counters, screenshots: try UIPageChecks.screenshotFolder("live"))
        }
        sendSignal(Signal.terminate, to: job.process.pid)
        let result = try job.finish(timeout: .seconds(30))
        #expect(result.exitCode == 0, "a SIGTERM during the linger ends it; the job had succeeded: \(result.stderr)")

        // The report of the same run, and a comparison of the run with itself.
        #expect(try SpindleProcess.run(["report", dir.file("out/_logs/events.jsonl"), "-o", dir.file("report.html")], in: dir.path).exitCode == 0)
        #expect(
            try SpindleProcess.run(
                ["report", dir.file("out/_logs/events.jsonl"), dir.file("out/_logs/events.jsonl"), "--output", dir.file("compare.html")], in: dir.path
            ).exitCode == 0)
        let report = try String(contentsOfFile: dir.file("report.html"), encoding: .utf8)
        #expect(!report.contains("src=\"http") && !report.contains("href=\"http"), "the report loads nothing from elsewhere")
        if let browser {
            let checks = UIPageChecks(browser: browser, work: dir.path)
            try checks.check(
                base: "file://\(dir.file("report.html"))", log: log, counters: counters, screenshots: try UIPageChecks.screenshotFolder("report"))
            let compare = try browser.load("file://\(dir.file("compare.html"))", in: dir.path)
            #expect(compare.scriptErrors.isEmpty)
            #expect(occurrences(of: "<tr class=\"compare-stage\"", in: compare.dom) == 2)
        }
    }

    @Test func aBadEventLogLineIsNamedAndAnExistingReportIsKept() throws {
        let dir = try TemporaryDirectory()
        try FileSystem.writeFileAtomically(dir.file("e.jsonl"), Array("{\"t\":0,\"event\":\"job_started\"}\nnot json\n".utf8))
        let bad = try SpindleProcess.run(["report", dir.file("e.jsonl"), "-o", dir.file("r.html")], in: dir.path)
        #expect(bad.exitCode == 2)
        #expect(bad.stderr.contains("e.jsonl:2:"), "\(bad.stderr)")
        try FileSystem.writeFileAtomically(dir.file("e.jsonl"), Array("{\"t\":0,\"event\":\"job_started\"}\n".utf8))
        try FileSystem.writeFileAtomically(dir.file("r.html"), Array("mine".utf8))
        #expect(try SpindleProcess.run(["report", dir.file("e.jsonl"), "-o", dir.file("r.html")], in: dir.path).exitCode == 2)
        #expect(try FileSystem.readFile(dir.file("r.html")) == Array("mine".utf8))
    }

    @Test func theReportOfAFailedJobShowsTheFailure() throws {
        let dir = try TemporaryDirectory()
        var text = ""
        for i in 0..<2000 { text += "word\(i % 97) other\(i % 13) poison\n" }
        try FileSystem.writeFileAtomically(dir.file("in.txt"), Array(text.utf8))
        let output = dir.file("out")
        let run = try TestJobsBinary.run(
            [
                "run", "failreduce", "--input", dir.file("in.txt"), "--output", output, "--workers", "2", "--reducers", "3", "--max-attempts", "1",
                "--no-speculation", "--param", "watch=\(output)", "--ui", "off",
            ],
            in: dir.path)
        #expect(run.exitCode == 1)
        let log = output + "/_logs/events.jsonl"
        #expect(try SpindleProcess.run(["report", log, "-o", dir.file("failed.html")], in: dir.path).exitCode == 0)
        guard let browser = HeadlessChromium.find() else { return }
        let doms = try UIPageChecks(browser: browser, work: dir.path).check(
            base: "file://\(dir.file("failed.html"))", log: EventLogReader(path: log), counters: nil,
            screenshots: try UIPageChecks.screenshotFolder("failed"))
        #expect(doms["job"]?.contains("id=\"job-error\"") == true)
        #expect(doms["job"]?.contains("fails on purpose") == true)
        #expect(doms["job"]?.contains(">failed</span>") == true)
        #expect(doms["workers"]?.contains("before the end") == true, "a finished job's workers show when they were last seen")
    }

    @Test func theReportOfARollbackMarksTheLossTheRollbackAndTheCheckpoints() throws {
        let run = try PregelRecoveryTests().runAndKill(checkpointEvery: 2) { log in
            log.events(named: "checkpoint").contains { $0["superstep"] as? Int == 1 }
                && log.events(named: "attempt_started").contains { ($0["task"] as? String)?.hasPrefix("superstep 3") == true }
        }
        #expect(run.result.exitCode == 0, "\(run.result.stderr)")
        let log = run.dir.file("out/_logs/events.jsonl")
        #expect(!EventLogReader(path: log).events(named: "rollback").isEmpty)
        #expect(try SpindleProcess.run(["report", log, "-o", run.dir.file("rollback.html")], in: run.dir.path).exitCode == 0)
        guard let browser = HeadlessChromium.find() else { return }
        let doms = try UIPageChecks(browser: browser, work: run.dir.path).check(
            base: "file://\(run.dir.file("rollback.html"))", log: EventLogReader(path: log),
            counters: try UIPageChecks.successCounters(run.dir.file("out")),
            screenshots: try UIPageChecks.screenshotFolder("rollback"))
        let timeline = doms["timeline"] ?? ""
        for kind in ["worker_lost", "rollback", "checkpoint"] { #expect(timeline.contains("class=\"marker marker-\(kind)\""), "no \(kind) marker") }
        #expect(occurrences(of: "<tr class=\"rollback\"", in: doms["job"] ?? "") == EventLogReader(path: log).events(named: "rollback").count)
        let supersteps = doms["supersteps"] ?? ""
        #expect(occurrences(of: "<tr class=\"superstep\"", in: supersteps) == EventLogReader(path: log).events(named: "superstep").count)
        #expect(supersteps.contains("rollback to"))
        #expect(supersteps.contains("<table id=\"rollbacks\">"), "the supersteps page says what the rollback cost")
    }
}
