import Foundation
import SpindlePosix

/// The `spindle-testjobs` executable (test-only jobs), next to `spindle`.
enum TestJobsBinary {
    static var path: String { (SpindleProcess.executable as NSString).deletingLastPathComponent + "/spindle-testjobs" }

    static func start(_ arguments: [String], environment: [String: String] = [:], in directory: String, name: String) throws -> SpindleProcess {
        let out = "\(directory)/\(name).stdout"
        let err = "\(directory)/\(name).stderr"
        let process = try ChildProcess.spawn(executable: path, arguments: arguments, environment: environment, stdoutPath: out, stderrPath: err)
        return SpindleProcess(process: process, stdoutPath: out, stderrPath: err)
    }

    static func run(
        _ arguments: [String], environment: [String: String] = [:], in directory: String, timeout: Duration = .seconds(120)
    ) throws -> ProcessResult {
        try start(arguments, environment: environment, in: directory, name: "testjobs").finish(timeout: timeout)
    }
}
