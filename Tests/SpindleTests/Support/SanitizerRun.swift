import Foundation

/// Whether this test process runs under ThreadSanitizer (`.ci/tsan` sets `TSAN_OPTIONS`): every thread runs
/// 5-15x slower and all the suites start at once, so waits sized for a plain build are stretched there.
enum SanitizerRun {
    static let active = ProcessInfo.processInfo.environment["TSAN_OPTIONS"] != nil

    /// `plain` in a plain build; `underTSan` under ThreadSanitizer.
    static func timeout(_ plain: Duration, underTSan: Duration) -> Duration { active ? underTSan : plain }
}
