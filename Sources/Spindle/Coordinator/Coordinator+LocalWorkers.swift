import SpindleCore
import SpindlePosix

extension Coordinator {
    /// When every local worker has died (the OOM killer, a user's `kill`) no join can come: starts as many
    /// replacements as were started before, at most `--max-attempts` times, then fails naming the last cause.
    func replaceLocalWorkersIfAllDied() {
        guard let launcher, options.localWorkers > 0, failure == nil, !finishRequested, stopSignal == nil,
            launcher.liveCount() == 0
        else { return }
        let cause = launcher.describeLastExit() ?? "they exited"
        guard replacementRounds < options.scheduler.maxAttempts else {
            fail(
                .workersLost, "every local worker died, and so did \(replacementRounds) round(s) of replacements (--max-attempts \(options.scheduler.maxAttempts)); the last one: \(cause)")
            return
        }
        replacementRounds += 1
        let count = options.localWorkers
        console.log("all local workers died (the last one: \(cause)); starting \(count) replacement(s), round \(replacementRounds) of at most \(options.scheduler.maxAttempts)")
        events.record("workers_replaced", [("count", .int(count)), ("round", .int(replacementRounds)), ("cause", .string(cause))])
        do {
            try launcher.spawn(count)
        } catch {
            fail(.workersLost, "every local worker died (the last one: \(cause)), and starting replacements failed: \(error)")
        }
        workerlessSince = nil
    }
}
