import Testing
@testable import SpindlePosix

@Suite struct WakeupPipeTests {
    @Test func wakeFromAnotherThreadEndsAPoll() throws {
        let pipe = try WakeupPipe()
        let waker = BackgroundThread {
            MonotonicClock.sleep(.milliseconds(50))
            pipe.wake()
        }
        let start = MonotonicClock.nanoseconds()
        let events = try Poller.wait([(fd: pipe.readFD, events: .readable)], timeout: .seconds(10))
        let elapsed = MonotonicClock.nanoseconds() - start
        #expect(events == [.readable])
        #expect(elapsed < 5_000_000_000)
        try waker.join()
    }

    @Test func drainClearsEveryPendingWakeup() throws {
        let pipe = try WakeupPipe()
        for _ in 0..<1000 { pipe.wake() }
        #expect(try Poller.wait([(fd: pipe.readFD, events: .readable)], timeout: .zero) == [.readable])
        pipe.drain()
        #expect(try Poller.wait([(fd: pipe.readFD, events: .readable)], timeout: .zero) == [[]])
        pipe.drain()  // nothing pending: must not block
        pipe.close()
        pipe.close()
    }

    @Test func wakingAFullPipeDoesNotBlock() throws {
        let pipe = try WakeupPipe()
        for _ in 0..<200_000 { pipe.wake() }  // far more than a pipe buffer holds
        pipe.drain()
        #expect(try Poller.wait([(fd: pipe.readFD, events: .readable)], timeout: .zero) == [[]])
    }
}
