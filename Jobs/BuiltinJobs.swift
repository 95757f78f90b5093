import Spindle
import SpindleTools

/// The jobs the `spindle` executable ships with.
public enum BuiltinJobs {
    public static var all: [Job] { [WordCount.job, InvertedIndex.job, Grep.job, Sort.job, PageRank.job, ConnectedComponents.job, BSPComponents.job, ShortestPaths.job, Job.checksum] }
}
