/// Why a superstep job stopped after a superstep, as `_SUCCESS` records it (`"stoppedBy"`).
package enum StopReason: String, Sendable, Equatable {
    /// Every vertex (Pregel) or partition (BSP) voted to halt and no message is in flight: the job converged.
    case halted = "halted"
    /// Master compute set `halt`.
    case master = "master"
    /// The job reached `--max-supersteps` while still active: its result may not be converged.
    case maxSupersteps = "max-supersteps"

    /// The reason to stop after superstep `superstep` (0-based), or `nil` to run another one. When several hold,
    /// the first in declaration order wins: a job that converges in its last allowed superstep halted.
    package init?(active: Int, messages: Int, masterHalted: Bool, superstep: Int, maxSupersteps: Int) {
        if active == 0 && messages == 0 {
            self = .halted
        } else if masterHalted {
            self = .master
        } else if superstep + 1 >= maxSupersteps {
            self = .maxSupersteps
        } else {
            return nil
        }
    }
}
