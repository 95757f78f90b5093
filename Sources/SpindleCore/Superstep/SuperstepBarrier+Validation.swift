extension SuperstepBarrier {
    /// Checks a report of `task` from a worker before the scheduler sees it: sizes for the right number of
    /// partitions, every count in range, aggregates only from supersteps (one per aggregator, none NaN), graph images
    /// only from prepare tasks and, as the outcome of a background write, from later partition tasks. A
    /// rejected report costs its worker its membership; an accepted one never traps the barrier later.
    /// - Parameter description: names the task in the reason, e.g. "superstep 3 of partition 2".
    package func check(_ report: PartitionReport, of task: TaskID, describedAs description: String) -> ReportCheck {
        let role = role(of: task.stage)
        let expectedSizes: Int
        switch role {
        case .load?, .superstep?, .replay?: expectedSizes = settings.partitions
        case .prepare?: expectedSizes = settings.resolvesMessageTargets ? settings.partitions : 0
        case .resolve?, .output?, .replicate?, .recopy?, nil: expectedSizes = 0
        }
        guard report.partitionSizes.count == expectedSizes else {
            return .rejected(reason: "it reported \(report.partitionSizes.count) partition sizes for \(description), expected \(expectedSizes)")
        }
        let noun = settings.vocabulary.members
        let counts = [
            (noun, report.members), ("records", report.records), ("active \(noun)", report.activeMembers),
            ("messages sent", report.messagesSent), ("skipped records", report.skippedRecords),
        ]
        for (name, value) in counts {
            if case .rejected(let reason) = ReportLimits.checkCount(value, name) { return .rejected(reason: reason) }
        }
        if case .rejected(let reason) = ReportLimits.checkCounts(report.partitionSizes, "partition sizes") { return .rejected(reason: reason) }
        guard report.activeMembers <= report.members else {
            return .rejected(reason: "it reported \(report.activeMembers) active of \(report.members) \(noun)")
        }
        let computes: Bool
        switch role {
        case .superstep?, .replay?: computes = true
        default: computes = false
        }
        if computes {
            let expected = settings.aggregators.count
            guard report.aggregates.count == expected, !report.aggregates.contains(where: \.isNaN) else {
                return .rejected(reason: "it reported \(report.aggregates.count) aggregator values (NaN or not \(expected))")
            }
        } else if !report.aggregates.isEmpty {
            return .rejected(reason: "it reported aggregator values for \(description), which has none")
        }
        if let image = report.graphImage {
            switch role {
            case .prepare?: break
            case .resolve?, .superstep?, .replay?:
                // What the background write of the image its prepare task made came to.
                guard image.source == .loadOutputs, !image.pending, image.problem == nil else {
                    return .rejected(reason: "it reported a graph image read or pending for \(description)")
                }
            default: return .rejected(reason: "it reported a graph image for \(description), which keeps none")
            }
            if let problem = image.problem, problem.utf8.count > GraphImageReport.maxProblemBytes {
                return .rejected(reason: "it reported a graph image problem of \(problem.utf8.count) bytes for \(description)")
            }
        }
        if let problem = checkpointCopyProblem(report, role: role) { return .rejected(reason: "\(problem) for \(description)") }
        return .accepted
    }
}
