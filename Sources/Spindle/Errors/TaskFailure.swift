/// A task's own failure, with a message for the user.
package struct TaskFailure: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
