import Spindle
import SpindleCore

/// The commands SpindleTools adds to the `spindle` executable, as tables the argument parser reads.
enum ToolCommandSpecs {
    static let generate = CommandSpec(
        name: "generate", summary: "Write deterministic test data: English-like text or an R-MAT graph",
        discussion: """
            Examples: spindle generate text --size 512MiB --seed 1 corpus.txt; spindle generate graph --scale 20 --edge-factor 16 graph.txt. \
            An existing OUT is refused without --overwrite, and so is a size the file system has no room for. \
            Exit codes: 0 written, 1 writing failed (nothing is left behind), 2 bad usage.
            """,
        options: [
            .value("size", placeholder: "SIZE", default: "64MiB", help: "bytes of text to write (text only)"),
            .value("seed", placeholder: "N", default: "1", help: "the same seed gives the same bytes"),
            .flag("rmat", help: "an R-MAT graph (Graph500 parameters a=0.57 b=0.19 c=0.19); the only model, so optional"),
            .value("scale", placeholder: "N", default: "16", help: "2^N vertices (graph only)"),
            .value("edge-factor", placeholder: "N", default: "16", help: "edges per vertex (graph only)"),
            .flag("overwrite", help: "replace OUT if it exists (it is replaced only once the new file is complete)"),
        ],
        positionals: [PositionalSpec("KIND", help: "text or graph"), PositionalSpec("OUT", help: "the file to write")])

    static let bench = CommandSpec(
        name: "bench", summary: "Measure a job's speedup over worker counts, optionally against a single-threaded baseline",
        discussion: """
            Runs `spindle run JOB` at each --workers count, --repeat times, and prints per count the median wall time, speedup, \
            efficiency, stage times, bytes shuffled and peak memory. With --baseline the command runs with /bin/sh -c, alternating \
            with Spindle's runs, and each count is compared with it. Example: spindle bench wordcount --input corpus.txt \
            --workers 1,2,4 --baseline 'wc -w corpus.txt' --output-dir bench. Exit codes: 0 done, 1 a run failed, 2 bad usage.
            """,
        options: [
            .repeatable("input", placeholder: "PATH", help: "input passed to every run; default: the job's sample data"),
            .value("workers", placeholder: "N,N,...", default: "1,2,4,... up to the cores", help: "worker counts to measure"),
            .value("repeat", placeholder: "N", default: "3", help: "runs per worker count (and of the baseline)"),
            .repeatable("param", placeholder: "K=V", help: "job parameter passed to every run"),
            .value(
                "output-dir", placeholder: "DIR", default: nil,
                help: "write runs.csv, runs.json, speedup.svg, summary.txt and report-N-workers.html (the fastest run per worker count) here"),
            .value("baseline", placeholder: "CMD", default: nil, help: "single-threaded reference command, run with /bin/sh -c"),
            .repeatable("run-arg", placeholder: "ARG", help: "extra argument for every `spindle run`, e.g. --run-arg=--memory=1GiB"),
        ],
        positionals: [PositionalSpec("JOB", help: "the job to measure (see `spindle jobs`)")])

}
