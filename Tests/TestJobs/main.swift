// Jobs used only by the multi-process tests (MapReduceTestJobs, PregelTestJobs, BSPTestJobs, and tools).
// Built as its own executable on top of the public Spindle API, as a user's own package would be.
import Foundation
import Spindle
import SpindleCore
import SpindleJobs
import SpindleTools

// A benchmark tool rather than a job: `spindle-testjobs inflate FILE.gz...`.
if CommandLine.arguments.count > 2 && CommandLine.arguments[1] == "inflate" {
    exit(InflateBench.run(Array(CommandLine.arguments.dropFirst(2))))
}
if CommandLine.arguments.count > 1 && CommandLine.arguments[1] == "loadtest" {
    exit(LoadTestCommand.run(Array(CommandLine.arguments.dropFirst(2))))
}

Spindle.main(
    jobs: BuiltinJobs.all + [
        alwaysFails.job, crashTest.job, jobCount.job, failReduce.job, timing.job, slowPageRank.job, masterTest.job,
        inboxTest(name: "combinertest", combine: true).job, inboxTest(name: "nocombinertest", combine: false).job,
        slowBSPComponents.job, bspOrder.job, bspMaster.job, lineLengths.job, pregelBadAggregator.job, bspBadAggregator.job, slowKeyedPageRank.job, sortFails.job,
        slowed(ConnectedComponents.definition, name: "slowcomponents").job, slowed(ShortestPaths.definition, name: "slowsssp").job,
        NoopEngine.job,
    ])
