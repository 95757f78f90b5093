import Testing
@testable import SpindlePosix

@Suite struct SystemInfoTests {
    @Test func executablePathPointsAtAnExistingFile() {
        let path = SystemInfo.currentExecutablePath()
        #expect(path.hasPrefix("/"))
        #expect(FileSystem.exists(path))
    }

    @Test func processFactsArePlausible() {
        #expect(SystemInfo.processID > 1)
        #expect(SystemInfo.cpuCount() >= 1)
        #expect(SystemInfo.peakResidentBytes() > 1 << 20)
        #expect(!SystemInfo.hostName().isEmpty)
    }

    @Test func environmentReadsSetAndUnsetVariables() {
        #expect(SystemInfo.environment("PATH") != nil)
        #expect(SystemInfo.environment("SPINDLE_SURELY_UNSET_VARIABLE_123") == nil)
    }

    @Test func childrenPeakResidentSizeIsCountedAfterWaiting() throws {
        let child = try ChildProcess.spawn(executable: "/bin/sh", arguments: ["-c", "exit 0"])
        #expect(try child.wait(timeout: .seconds(10)) == .exited(0))
        #expect(SystemInfo.peakResidentBytesOfChildren() > 0)
    }

    @Test func devNullIsNotATerminal() throws {
        let reader = try FileReader(path: "/dev/null")
        #expect(!SystemInfo.isTerminal(fd: reader.fd))
    }
}
