import Testing

@testable import SpindleCore

/// The scheduler's building blocks: its pending-task queue, its set of workers with a free slot, the running
/// median of task durations, and the heartbeat gap histogram.
@Suite struct SchedulingStructuresTests {
    @Test func taskQueuePopsInOrderAndTakesPushesAtTheFront() {
        var q = TaskQueue(Array(0..<5))
        #expect(q.removeFirst { _ in true } == 0)
        #expect(q.removeFirst { $0 == 3 } == 3)
        q.pushFront(0)
        q.pushFront(9)
        #expect(Array(q.elements) == [9, 0, 1, 2, 4])
        q.remove(1)
        #expect(Array(q.elements) == [9, 0, 2, 4])
        #expect(q.removeFirst { $0 > 100 } == nil)
        #expect(q.count == 4)
        q.removeAll()
        #expect(q.isEmpty)
    }

    @Test func taskQueueMatchesAnArrayUnderRandomOperations() {
        var rng = SplitMix(seed: 7)
        var q = TaskQueue(Array(0..<10_000))
        var model = Array(0..<10_000)
        for step in 0..<50_000 {
            switch rng.next() % 4 {
            case 0, 1:
                let got = q.removeFirst { _ in true }
                #expect(got == (model.isEmpty ? nil : model.removeFirst()), "step \(step)")
            case 2:
                let value = Int(rng.next() % 20_000)
                q.pushFront(value)
                model.insert(value, at: 0)
            default:
                let odd = q.removeFirst { $0 % 2 == 1 }
                let index = model.firstIndex { $0 % 2 == 1 }
                #expect(odd == index.map { model.remove(at: $0) }, "step \(step)")
            }
        }
        #expect(Array(q.elements) == model)
    }

    @Test func workerSetStaysSortedWithoutDuplicates() {
        var set = WorkerSet()
        for raw: UInt32 in [5, 1, 3, 5, 2, 1] { set.insert(WorkerID(raw)) }
        #expect(set.elements.map(\.rawValue) == [1, 2, 3, 5])
        set.remove(WorkerID(3))
        set.remove(WorkerID(4))
        #expect(set.elements.map(\.rawValue) == [1, 2, 5])
        #expect(set.contains(WorkerID(5)) && !set.contains(WorkerID(3)))
    }

    @Test func runningMedianIsTheSortedValueAtHalfTheCount() {
        var rng = SplitMix(seed: 3)
        var median = RunningMedian<Int>()
        var values: [Int] = []
        #expect(median.median == nil)
        for _ in 0..<500 {
            let value = Int(rng.next() % 500)
            median.insert(value)
            values.append(value)
            let sorted = values.sorted()
            #expect(median.median == sorted[sorted.count / 2])
        }
        #expect(median.count == 500)
    }

    @Test func histogramPercentilesBoundTheValuesWithinNinePercent() {
        var h = DurationHistogram()
        #expect(h.percentile(0.5) == .zero)
        for ms in 1...1000 { h.record(.milliseconds(ms)) }
        #expect(h.count == 1000)
        #expect(h.maximum == .milliseconds(1000))
        let p50 = h.percentile(0.5)
        #expect(p50 >= .milliseconds(500) && p50 <= .milliseconds(545))
        let p99 = h.percentile(0.99)
        #expect(p99 >= .milliseconds(990) && p99 <= .milliseconds(1000))
        #expect(h.percentile(1) == .milliseconds(1000))
        var other = DurationHistogram()
        other.record(.seconds(3))
        h.merge(other)
        #expect(h.count == 1001 && h.maximum == .seconds(3))
    }

    @Test func histogramBucketsCoverEveryValueInOrder() {
        var previous = 0
        for n in [UInt64(0), 1, 7, 8, 9, 15, 16, 17, 1000, 123_456_789, 1 << 40, UInt64.max] {
            let bucket = DurationHistogram.bucket(of: n)
            #expect(DurationHistogram.upperBound(of: bucket) >= n)
            if bucket > 0 { #expect(DurationHistogram.upperBound(of: bucket - 1) < n) }
            #expect(bucket >= previous)
            previous = bucket
        }
    }

    @Test func heartbeatMonitorRecordsTheGapsItSawEnd() {
        var monitor = HeartbeatMonitor<Int>(timeout: .seconds(2))
        monitor.track(1, now: Timestamp(nanoseconds: 0))
        monitor.heard(from: 1, now: Timestamp(nanoseconds: 200_000_000))
        monitor.heard(from: 1, now: Timestamp(nanoseconds: 700_000_000))
        #expect(monitor.gaps.count == 2)
        #expect(monitor.gaps.maximum == .milliseconds(500))
    }
}
