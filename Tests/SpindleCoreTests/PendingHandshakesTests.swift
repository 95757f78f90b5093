import Testing

@testable import SpindleCore

@Suite struct PendingHandshakesTests {
    @Test func admittingBeyondTheLimitEvictsTheOldest() {
        var pending = PendingHandshakes<String>(limit: 3)
        #expect(pending.admit("a").evicted == [])
        #expect(pending.admit("b").evicted == [])
        #expect(pending.admit("c").evicted == [])
        #expect(pending.admit("d").evicted == ["a"])
        #expect(pending.admit("e").evicted == ["b"])
        #expect(pending.count == 3)
    }

    @Test func finishedHandshakesLeaveRoom() {
        var pending = PendingHandshakes<String>(limit: 2)
        let a = pending.admit("a").id
        _ = pending.admit("b")
        pending.remove(a)
        #expect(pending.admit("c").evicted == [])
        // The oldest still waiting is now b.
        #expect(pending.admit("d").evicted == ["b"])
        // Removing an evicted id does nothing.
        pending.remove(a)
        #expect(pending.count == 2)
    }

    @Test func aFloodHoldsAtMostTheLimit() {
        var pending = PendingHandshakes<Int>(limit: 64)
        var evicted: [Int] = []
        for i in 0..<2000 { evicted += pending.admit(i).evicted }
        #expect(pending.count == 64)
        #expect(evicted == Array(0..<1936))
    }
}
