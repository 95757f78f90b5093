/// Why a byte stream could not be split into frames. Both are unrecoverable for the stream: the connection
/// should be closed, because the decoder cannot find the next frame boundary.
package enum FrameError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A header announced `length` bytes (kind + payload), more than the decoder's `maximum`.
    case oversized(length: UInt32, maximum: Int)
    /// A header announced length 0, which cannot even hold the kind byte.
    case emptyFrame

    /// One sentence describing the failure.
    package var description: String {
        switch self {
        case let .oversized(length, maximum):
            return "A frame header announced \(length) bytes, more than the maximum frame size of \(maximum) bytes."
        case .emptyFrame:
            return "A frame header announced length 0, but every frame needs at least its kind byte."
        }
    }
}
