import Foundation
import SpindlePosix

/// Debian's `chromium` in headless mode: the DOM of a page after its script ran, its console, and
/// screenshots at 1280x800. Tests that need it skip, printing why, when it is not installed.
struct HeadlessChromium {
    let executable: String

    /// The browser on PATH, or nil (with the reason printed) when there is none.
    static func find() -> HeadlessChromium? {
        let path = (SystemInfo.environment("PATH") ?? "/usr/bin:/bin").split(separator: ":")
        for dir in path {
            for name in ["chromium", "chromium-browser"] where FileSystem.isReadable("\(dir)/\(name)") {
                return HeadlessChromium(executable: "\(dir)/\(name)")
            }
        }
        print("skipped: no chromium on PATH (apt-get install -y chromium; .ci/run installs it)")
        return nil
    }

    struct Page {
        /// The DOM up to the page's first script (the script's own text would match what the tests count).
        var dom: String
        /// What the browser logged; "Uncaught" marks a JavaScript error.
        var console: String
        var scriptErrors: [String] {
            console.split(separator: "\n").filter { $0.contains("Uncaught") || $0.contains("SyntaxError") }.map(String.init)
                + (dom.contains("<div id=\"errors\">Script error") ? ["the page's error box is not empty"] : [])
        }
    }

    private func run(_ arguments: [String], in directory: String) throws -> ProcessResult {
        let profile = try FileSystem.makeTemporaryDirectory(prefix: "spindle-chromium-")
        defer { try? FileSystem.removeTree(profile) }
        let name = "chromium-\(UInt32.random(in: 0...UInt32.max))"
        let out = "\(directory)/\(name).stdout"
        let err = "\(directory)/\(name).stderr"
        let process = try ChildProcess.spawn(
            executable: executable,
            arguments: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile)", "--hide-scrollbars"]
                + arguments,
            environment: [:], stdoutPath: out, stderrPath: err)
        var status = try process.wait(timeout: .seconds(90))
        if status == nil {
            try process.signal(Signal.kill)
            status = try process.wait(timeout: .seconds(5))
        }
        defer { try? FileSystem.unlink(out); try? FileSystem.unlink(err) }
        return ProcessResult(
            status: status ?? .signaled(Signal.kill), stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "", timedOut: status == nil)
    }

    /// Loads `url`, lets its script run (fetches included) for up to `budget` of virtual time, and returns the DOM.
    func load(_ url: String, in directory: String, budgetMilliseconds: Int = 4000) throws -> Page {
        let result = try run(["--enable-logging=stderr", "--v=0", "--virtual-time-budget=\(budgetMilliseconds)", "--dump-dom", url], in: directory)
        guard result.exitCode == 0, result.stdout.contains("</main>") else {
            throw TestFailure("chromium could not load \(url): exit \(result.status), \(result.stderr.suffix(500))")
        }
        let rendered = result.stdout.range(of: "<script").map { String(result.stdout[..<$0.lowerBound]) } ?? result.stdout
        return Page(dom: rendered, console: result.stderr)
    }

    /// Writes a 1280x800 PNG of `url` to `file`.
    func screenshot(_ url: String, to file: String, in directory: String) throws {
        _ = try run(["--virtual-time-budget=4000", "--window-size=1280,800", "--screenshot=\(file)", url], in: directory)
        guard FileSystem.exists(file) else { throw TestFailure("chromium wrote no screenshot of \(url) to \(file)") }
    }
}

/// How many times `needle` occurs in `text`.
func occurrences(of needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
}
