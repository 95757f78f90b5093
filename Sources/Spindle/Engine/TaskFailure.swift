/// A task's own failure, with a message for the user.
struct TaskFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
