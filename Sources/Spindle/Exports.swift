// # The public surface of Spindle
//
// A job author writes `import Spindle` and nothing else. What that import gives is this list; everything
// else in the package is `package` (shared between the project's own modules) or `internal`.
//
// - Entry point: `Spindle.main(jobs:arguments:)` (the whole CLI: `run`, `worker`, `jobs`, `version`,
//   `help`), `Spindle.version`, and `Job` (a named computation with its `JobParameter`s; read them from
//   `JobParameters`).
// - MapReduce: `MapReduceJob` (its `.job`), the map side's `TextRecord` and `MapOutput`, the reduce
//   side's `ReduceValues` and `ReduceOutput` (and `OutputField`, what `write` takes), `Counters`,
//   `Partitioning`, and the keys: `ShuffleKey`, `RawBytesShuffleKey`.
// - Pregel: `PregelJob`, `VertexContext`, `MasterContext`, `MessageCombiner`, `Unweighted`.
// - BSP: `BSPJob`, `BSPLoader`, `BSPContext`, `BSPMessages`, `BSPOutput`; `EdgeListFormat` for graph
//   lines and `WordTokenizer` for text lines.
// - Shared by both superstep engines: `Aggregator`.
// - Errors: `SpindleError` (what a run can fail with), `MalformedRecord` (thrown by a job for a bad
//   input line), and `WireError` (a value that does not decode).
// - Values on the wire (re-exported from SpindleCore below, where the runtime's own codec uses them):
//   `WireCodable` with `WireReader` and `WireWriter`, `WireCodableViaCodable` for any `Codable` type,
//   `ByteString`, `Pair`; conformances for integers, floating point, `Bool`, `String`, arrays and optionals.
//
// The re-exports are scoped (`import struct ...`), so `import Spindle` brings exactly these declarations
// of SpindleCore, with their doc comments and conformances, and none of its other names.

@_exported import protocol SpindleCore.WireCodable
@_exported import protocol SpindleCore.WireCodableViaCodable
@_exported import struct SpindleCore.WireReader
@_exported import struct SpindleCore.WireWriter
@_exported import enum SpindleCore.WireError
@_exported import struct SpindleCore.ByteString
@_exported import struct SpindleCore.Pair
