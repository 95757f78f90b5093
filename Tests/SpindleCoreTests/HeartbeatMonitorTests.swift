import Testing

@testable import SpindleCore

@Suite struct HeartbeatMonitorTests {
    private func at(_ ms: UInt64) -> Timestamp { Timestamp(nanoseconds: ms * 1_000_000) }

    @Test func silentPeerExpiresOnlyAfterTimeout() {
        var monitor = HeartbeatMonitor<Int>(timeout: .seconds(2))
        monitor.track(1, now: at(0))
        #expect(monitor.expire(now: at(2000)).isEmpty)
        #expect(monitor.expire(now: at(2001)) == [1])
        #expect(!monitor.isTracking(1))
    }

    @Test func silencesAreTheTimeSinceEachWatchedPeerWasLastHeard() {
        var monitor = HeartbeatMonitor<Int>(timeout: .seconds(2))
        monitor.track(1, now: at(0))
        monitor.track(2, now: at(100))
        monitor.heard(from: 1, now: at(900))
        let silences = Dictionary(uniqueKeysWithValues: monitor.silences(now: at(1000)).map { ($0.peer, $0.silence) })
        #expect(silences == [1: .milliseconds(100), 2: .milliseconds(900)])
        monitor.forget(2)
        #expect(monitor.silences(now: at(500)).map(\.peer) == [1])
        #expect(monitor.silences(now: at(500)).map(\.silence) == [.zero], "a peer heard after `now` has been silent for no time")
    }

    @Test func heartbeatsKeepPeerAlive() {
        var monitor = HeartbeatMonitor<Int>(timeout: .seconds(2))
        monitor.track(1, now: at(0))
        for t in stride(from: UInt64(200), through: 10_000, by: 200) {
            monitor.heard(from: 1, now: at(t))
            #expect(monitor.expire(now: at(t + 100)).isEmpty)
        }
        #expect(monitor.expire(now: at(12_001)) == [1])
    }

    @Test func expiredPeerIsReportedOnceAndLateHeartbeatIsIgnored() {
        var monitor = HeartbeatMonitor<Int>(timeout: .milliseconds(500))
        monitor.track(7, now: at(0))
        #expect(monitor.expire(now: at(600)) == [7])
        monitor.heard(from: 7, now: at(700))
        #expect(!monitor.isTracking(7))
        #expect(monitor.expire(now: at(5000)).isEmpty)
    }

    @Test func onlyTheSilentPeerOfSeveralExpires() {
        var monitor = HeartbeatMonitor<Int>(timeout: .seconds(1))
        monitor.track(1, now: at(0))
        monitor.track(2, now: at(0))
        monitor.heard(from: 2, now: at(900))
        #expect(monitor.expire(now: at(1500)) == [1])
        #expect(monitor.nextDeadline == at(1900))
    }

    @Test func forgottenPeerNeverExpires() {
        var monitor = HeartbeatMonitor<Int>(timeout: .seconds(1))
        monitor.track(1, now: at(0))
        monitor.forget(1)
        #expect(monitor.expire(now: at(10_000)).isEmpty)
        #expect(monitor.nextDeadline == nil)
    }

    @Test func outOfOrderTimestampDoesNotMoveLastHeardBackwards() {
        var monitor = HeartbeatMonitor<Int>(timeout: .seconds(1))
        monitor.track(1, now: at(0))
        monitor.heard(from: 1, now: at(800))
        monitor.heard(from: 1, now: at(100))
        #expect(monitor.expire(now: at(1500)).isEmpty)
    }
}
