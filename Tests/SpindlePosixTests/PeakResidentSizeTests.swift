import Testing
@testable import SpindlePosix

/// The peak resident size is this process's own: VmHWM of /proc/self/status, not getrusage's ru_maxrss
/// (which Linux carries across execve from the parent).
@Suite struct PeakResidentSizeTests {
    @Test func peakResidentSizeIsReadFromProcStatus() {
        let status = Array("Name:\tx\nVmPeak:\t  999 kB\nVmHWM:\t   12345 kB\nVmRSS:\t 100 kB\n".utf8)
        #expect(SystemInfo.statusField("VmHWM:", in: status) == 12345)
        #expect(SystemInfo.statusField("VmSwap:", in: status) == nil)
        #expect(SystemInfo.peakResidentBytes() > 1 << 20)
    }
}
