/// The bounds of the UI's HTTP server. Every field has a default fit for a browser or two.
struct UIServerSettings: Sendable {
    /// Connections open at once; at the cap the oldest connection still sending its request is dropped
    /// for a new one (as OpenSSH's MaxStartups), so idle connections cannot lock users out.
    var maxConnections = 64
    /// How long a client has to send its whole request head after connecting; a slower one is closed.
    var headTimeout: Duration = .seconds(10)
    /// How long sending a response may block on a client that does not read.
    var sendTimeout: Duration = .seconds(2)
    /// The bound on a request's line and header fields together.
    var maxHeadBytes = 8192
    /// The bound on header fields per request.
    var maxHeaders = 100
}
