// A user's package imports only Spindle: the value types it needs (WireCodable, ByteString, Pair,
// JobParameter's ByteSize and DurationText, UsageError) come from SpindleCore and are re-exported here.
@_exported import SpindleCore
