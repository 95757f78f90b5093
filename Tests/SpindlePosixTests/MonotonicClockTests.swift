import Testing
@testable import SpindlePosix

@Suite struct MonotonicClockTests {
    @Test func sleepWaitsAtLeastTheRequestedTime() {
        let start = MonotonicClock.nanoseconds()
        MonotonicClock.sleep(.milliseconds(20))
        #expect(MonotonicClock.nanoseconds() - start >= 20_000_000)
    }

    @Test func zeroAndNegativeSleepsReturnAtOnce() {
        let start = MonotonicClock.nanoseconds()
        sleep(.zero)
        sleep(.milliseconds(-5))
        #expect(MonotonicClock.nanoseconds() - start < 5_000_000)
    }

    @Test func wallClockIsAfter2024() {
        #expect(WallClock.unixMilliseconds() > 1_704_067_200_000)
    }
}
