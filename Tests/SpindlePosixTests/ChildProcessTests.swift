import Testing
@testable import SpindlePosix

@Suite struct ChildProcessTests {
    @Test func exitCodeIsReported() throws {
        let child = try ChildProcess.spawn(executable: "/bin/sh", arguments: ["-c", "exit 3"])
        let status = try child.wait(timeout: .seconds(10))
        #expect(status == .exited(3))
        #expect(status?.description == "exited with code 3")
    }

    @Test func killedChildReportsTheSignal() throws {
        let child = try ChildProcess.spawn(executable: "sleep", arguments: ["10"])
        #expect(try child.poll() == nil)
        #expect(try child.wait(timeout: .milliseconds(30)) == nil)
        try child.signal(Signal.kill)
        let status = try child.wait(timeout: .seconds(10))
        #expect(status == .signaled(9))
        #expect(status?.description == "killed by signal 9 (SIGKILL)")
    }

    @Test func stderrAndStdoutAreRedirectedToFiles() throws {
        try withTemporaryDirectory { dir in
            try FileSystem.writeFileAtomically(dir + "/err.txt", Array("stale content".utf8))
            let child = try ChildProcess.spawn(
                executable: "/bin/sh", arguments: ["-c", "echo oops >&2; echo fine"],
                stdoutPath: dir + "/out.txt", stderrPath: dir + "/err.txt")
            #expect(try child.wait(timeout: .seconds(10)) == .exited(0))
            #expect(try FileSystem.readFile(dir + "/err.txt") == Array("oops\n".utf8))
            #expect(try FileSystem.readFile(dir + "/out.txt") == Array("fine\n".utf8))
        }
    }

    @Test func environmentIsAddedToTheInheritedOne() throws {
        try withTemporaryDirectory { dir in
            let child = try ChildProcess.spawn(
                executable: "/bin/sh",
                arguments: ["-c", "printf '%s|%s' \"$SPINDLE_TEST_VALUE\" \"${PATH:+has-path}\""],
                environment: ["SPINDLE_TEST_VALUE": "hello world"],
                stdoutPath: dir + "/out.txt")
            #expect(try child.wait(timeout: .seconds(10)) == .exited(0))
            #expect(String(decoding: try FileSystem.readFile(dir + "/out.txt"), as: UTF8.self)
                == "hello world|has-path")
        }
    }

    @Test func environmentOverridesAnExistingVariable() throws {
        try withTemporaryDirectory { dir in
            let child = try ChildProcess.spawn(
                executable: "/bin/sh", arguments: ["-c", "printf %s \"$HOME\""],
                environment: ["HOME": "/spindle/home"], stdoutPath: dir + "/out.txt")
            #expect(try child.wait(timeout: .seconds(10)) == .exited(0))
            #expect(try FileSystem.readFile(dir + "/out.txt") == Array("/spindle/home".utf8))
        }
    }

    @Test func missingExecutableThrowsNotFound() {
        let error = #expect(throws: SystemError.self) {
            _ = try ChildProcess.spawn(executable: "/no/such/program", arguments: [])
        }
        #expect(error?.errno == Errno.noSuchFile)
        #expect(error?.call == "posix_spawn")
    }

    @Test func signalingAReapedChildIsNotAnError() throws {
        let child = try ChildProcess.spawn(executable: "/bin/sh", arguments: ["-c", "exit 0"])
        #expect(try child.wait(timeout: .seconds(10)) == .exited(0))
        try child.signal(Signal.terminate)  // ESRCH is ignored
        let error = #expect(throws: SystemError.self) { _ = try child.poll() }
        #expect(error?.errno == Errno.noChild)
    }

    @Test func unknownSignalsDescribeWithoutAName() {
        #expect(ExitStatus.signaled(40).description == "killed by signal 40")
        #expect(ExitStatus.signaled(15).description == "killed by signal 15 (SIGTERM)")
    }
}
