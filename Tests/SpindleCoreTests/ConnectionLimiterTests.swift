import Testing

@testable import SpindleCore

@Suite struct ConnectionLimiterTests {
    private func at(_ ms: UInt64) -> Timestamp { Timestamp(nanoseconds: ms * 1_000_000) }

    private func limiter(unauthenticated: Int = 3, total: Int = 5) -> ConnectionLimiter<Int> {
        var settings = ConnectionLimiter<Int>.Settings()
        settings.maxUnauthenticated = unauthenticated
        settings.maxConnections = total
        settings.handshakeTimeout = .seconds(5)
        settings.idleTimeout = .seconds(30)
        return ConnectionLimiter(settings: settings)
    }

    @Test func theOldestUnauthenticatedConnectionMakesRoomForANewOne() {
        var l = limiter()
        #expect(l.accepted(1, now: at(0)) == [])
        #expect(l.accepted(2, now: at(1)) == [])
        #expect(l.accepted(3, now: at(2)) == [])
        #expect(l.accepted(4, now: at(3)) == [1])
        #expect(l.unauthenticatedCount == 3)
    }

    @Test func aHandshakeInProgressOutlivesSilentConnections() {
        var l = limiter()
        _ = l.accepted(1, now: at(0))
        l.spoke(1)
        var closed: [Int] = []
        for id in 2..<100 { closed += l.accepted(id, now: at(UInt64(id))) }
        #expect(!closed.contains(1))
        #expect(l.unauthenticatedCount == 3)
        l.spoke(98)
        l.spoke(99)
        #expect(l.accepted(100, now: at(100)) == [1])
        #expect(l.accepted(101, now: at(101)) == [100])
    }

    @Test func authenticatedConnectionsSurviveAFloodOfUnauthenticatedOnes() {
        var l = limiter()
        _ = l.accepted(100, now: at(0))
        l.authenticated(100, now: at(1))
        var closed: [Int] = []
        for id in 1_000..<3_000 { closed += l.accepted(id, now: at(UInt64(id))) }
        #expect(!closed.contains(100))
        #expect(closed.count == 2000 - 3)
        #expect(l.count == 4)
    }

    @Test func pastTheTotalCapTheLongestIdleAuthenticatedConnectionGoesThenTheNewOne() {
        var l = limiter(unauthenticated: 2, total: 3)
        for id in 1...3 {
            _ = l.accepted(id, now: at(UInt64(id)))
            l.authenticated(id, now: at(UInt64(id)))
        }
        l.busy(1, now: at(10))
        #expect(l.accepted(4, now: at(11)) == [2])
        l.busy(3, now: at(12))
        l.authenticated(4, now: at(12))
        l.busy(4, now: at(12))
        #expect(l.accepted(5, now: at(13)) == [5])
    }

    @Test func handshakesAndIdleConnectionsExpireButBusyOnesDoNot() {
        var l = limiter()
        _ = l.accepted(1, now: at(0))
        _ = l.accepted(2, now: at(0))
        _ = l.accepted(3, now: at(0))
        l.authenticated(2, now: at(100))
        l.authenticated(3, now: at(100))
        l.busy(3, now: at(200))
        #expect(l.nextDeadline == at(5_000))
        #expect(l.expire(now: at(5_000)).isEmpty)
        #expect(l.expire(now: at(5_001)).map(\.id) == [1])
        #expect(l.expire(now: at(30_101)).map(\.id) == [2])
        #expect(l.expire(now: at(1_000_000)).isEmpty)
        l.idle(3, now: at(1_000_000))
        #expect(l.expire(now: at(1_030_001)).map(\.id) == [3])
        #expect(l.count == 0)
    }

    @Test func expiryReasonsNameTheLimit() {
        var l = limiter()
        _ = l.accepted(1, now: at(0))
        #expect(l.expire(now: at(6_000)).first?.reason == "the handshake did not complete within 5s")
    }
}
