/// A command-line mistake by the user; the caller prints `description` and exits with status 2.
///
/// `message` is a single lowercase sentence without a trailing period or newline, quoting the
/// user's text and option names in single quotes, e.g. `option '--output' requires a value`.
package struct UsageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The one-sentence explanation shown to the user.
    package let message: String

    /// Creates an error carrying `message` verbatim.
    package init(_ message: String) {
        self.message = message
    }

    /// The message itself, with no prefix and no trailing newline.
    package var description: String { message }
}
