/// The engines' shorthand for a task's own failure: `throw TaskFailure("...")` throws a ``SpindleError``
/// with code ``SpindleError/Code/taskError``.
package typealias TaskFailure = SpindleError

extension SpindleError {
    /// A task's own failure (code ``Code/taskError``) with `message`.
    package init(_ message: String) {
        self.init(.taskError, message)
    }
}
