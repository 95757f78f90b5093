import Glibc
import SpindleCore
import SpindlePosix
import Testing

struct TerminationSignalsTests {
    @Test func aCaughtSignalSetsTheFlagAndWakesThePipeInsteadOfEndingTheProcess() throws {
        // SIGWINCH: harmless to this test process whatever happens (its default action is to do nothing).
        try TerminationSignals.install([SIGWINCH])
        #expect(TerminationSignals.caught == nil)
        // Sent to the process, not raised on this thread: test threads may block signals.
        kill(getpid(), SIGWINCH)
        let ready = try Poller.wait([(TerminationSignals.wakeFD, .readable)], timeout: .seconds(10))
        #expect(!ready[0].isEmpty)
        #expect(TerminationSignals.caught == SIGWINCH)
        #expect(TerminationSignals.exitCode(for: SIGTERM) == 143)
        #expect(TerminationSignals.exitCode(for: SIGINT) == 130)
    }

    @Test func thisProcessIsRunningAndAReusedPidIsNot() throws {
        var me = try #require(ProcessLiveness.currentStamp())
        #expect(ProcessLiveness.isRunning(me))
        me.startTime += 1
        #expect(!ProcessLiveness.isRunning(me))
    }
}
