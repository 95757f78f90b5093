/// A journal whose records do not make sense together; the message is a clause ("its first record is ...").
package struct JournalReplayError: Error, CustomStringConvertible, Equatable {
    package var description: String
    package init(_ description: String) { self.description = description }
}
