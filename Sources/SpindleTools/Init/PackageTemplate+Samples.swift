extension PackageTemplate {
    /// A few lines of text for `word-count`.
    var sampleText: String {
        """
        A spindle is a straight spike used for spinning wool and other fibres into thread.
        Spinning by hand was slow: a spinner drew out the fibres, twisted them, and wound the thread on the spindle.
        The spinning wheel turned the spindle faster, and the spinning mule turned hundreds of spindles at once.
        Many spindles working side by side spin more thread than one, as long as someone keeps them all fed.

        """
    }

    /// A small edge list for `hops`: SNAP's format, with a comment, a weight column that the job ignores,
    /// and vertices that vertex 1 cannot reach unless edges are followed backwards (and one it never reaches).
    var sampleGraph: String {
        """
        # A small directed graph: src dst [weight]
        1 2
        1 3
        2 4
        3 4
        4 5 2.5
        5 6
        6 4
        7 1
        7 8
        9 10

        """
    }

    /// The package's README.
    var readme: String {
        let source: String
        switch dependency {
        case .path(let path): source = "the Spindle checkout at `\(path)` (`.package(path:)` in `Package.swift`)"
        case .url(let url): source = "Spindle from `\(url)`, branch `main` (in `Package.swift`)"
        }
        return #"""
            # \#(name)

            Parallel batch jobs of your own on Spindle: a MapReduce job and a Pregel
            (graph) job, each with a test against a sequential reference. This package depends on \#(source).

            ```sh
            swift run \#(name) run word-count                   # count the words of Data/sample.txt into out/word-count
            swift run \#(name) run hops --param source=7        # fewest edges from vertex 7 in Data/graph.txt
            swift run \#(name) jobs                             # the jobs and their parameters
            swift test                                        # both jobs against their sequential references
            ```

            Each run writes `out/JOB/part-*` (`key<TAB>value` lines) and `out/JOB/_SUCCESS` (counters and timings);
            run again with `--overwrite`, or choose `--output DIR`. `--input PATH` (a file, a directory or a glob,
            repeatable) reads your own data, `--workers N` sets the number of local worker processes (default: one
            per core), and `swift run \#(name) run JOB --help` lists every option. For real data, build once with
            `swift build -c release` and run `.build/release/\#(name) run JOB ...`.

            | file | what it is |
            |---|---|
            | `Sources/\#(name)/WordCount.swift` | `word-count`, a MapReduce job: map each line to `(word, 1)`, combine, reduce to a total; `--param min-length=N` |
            | `Sources/\#(name)/Hops.swift` | `hops`, a Pregel job: breadth-first search from `--param source=ID`, `--param undirected=true` to follow edges both ways |
            | `Sources/\#(name)/main.swift` | registers the jobs: `Spindle.main(jobs: [...])` gives the whole command line |
            | `Sources/\#(name)/SampleData.swift` | finds `Data/` so that the jobs run without `--input` |
            | `Tests/\#(name)Tests/` | runs each job with 2 worker processes and compares its output with a sequential reference |
            | `Data/` | the sample inputs: a few lines of text and a small edge list (`src dst [weight]`, `#` comments) |

            To add a job, write it next to the others and add it to the list in `main.swift`. Keep map, reduce
            and compute deterministic: a failed task runs again, and recovery replays supersteps. Running on several
            machines: every machine runs the same build with the same secret (see Spindle's README,
            "Running on several machines"): `\#(name) run JOB --listen 0.0.0.0:7070 --expect-workers 4 --secret-file secret`
            on one, `\#(name) worker --coordinator HOST:7070 --secret-file secret` on each of the others.

            """#
    }
}
