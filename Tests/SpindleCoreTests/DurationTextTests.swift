import Testing
@testable import SpindleCore

@Suite struct DurationTextTests {
    static let durations: [(text: String, duration: Duration)] = [
        ("500ms", .milliseconds(500)), ("2s", .seconds(2)), ("1m", .seconds(60)), ("1.5s", .milliseconds(1500)),
        ("250us", .microseconds(250)), ("250µs", .microseconds(250)), ("1h", .seconds(3600)), ("0s", .zero),
        ("750ns", .nanoseconds(750)), ("1h30m", .seconds(5400)), ("1m30s", .seconds(90)), ("2 s", .seconds(2)),
        (" 200ms ", .milliseconds(200)), ("10S", .seconds(10)), ("0.001ms", .microseconds(1)), ("0.000001ms", .nanoseconds(1)),
        ("1.5ns", .nanoseconds(1)), ("0.25h", .seconds(900)), ("100000h", .seconds(360_000_000)),
    ]

    @Test(arguments: durations)
    func parsesDurations(_ text: String, _ duration: Duration) {
        #expect(DurationText.parse(text) == duration)
    }

    @Test(arguments: [
        "", "2", "0", "1.5", "-1s", "-500ms", "s", "ms", "2x", "2sec", "2 seconds", "1.s", ".5s",
        "1h 30m", "1s2", "+1s", "1e3ms", "9999999999h", "2s!",
    ])
    func rejectsBadDurations(_ text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    static let formats: [(duration: Duration, text: String)] = [
        (.zero, "0s"), (.nanoseconds(750), "750ns"), (.microseconds(250), "250us"), (.nanoseconds(1500), "1.5us"),
        (.milliseconds(200), "200ms"), (.microseconds(1500), "1.5ms"), (.seconds(2), "2s"), (.milliseconds(1500), "1.5s"),
        (.seconds(60), "1m"), (.seconds(90), "1m30s"), (.seconds(3600), "1h"), (.milliseconds(3_600_500), "1h0.5s"),
        (.seconds(3661), "1h1m1s"), (.nanoseconds(1_000_000_001), "1.000000001s"), (.milliseconds(-200), "-200ms"),
    ]

    @Test(arguments: formats)
    func formatsCompactly(_ duration: Duration, _ text: String) {
        #expect(DurationText.format(duration) == text)
    }

    static let roundTrips: [Duration] = [
        .zero, .nanoseconds(1), .microseconds(7), .milliseconds(200), .milliseconds(1234),
        .seconds(59), .seconds(61), .seconds(86_400), .nanoseconds(3_723_000_000_009),
    ]

    @Test(arguments: roundTrips)
    func formattedDurationsParseBack(_ duration: Duration) {
        #expect(DurationText.parse(DurationText.format(duration)) == duration)
    }
}
