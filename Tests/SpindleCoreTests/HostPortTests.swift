import Testing
@testable import SpindleCore

@Suite struct HostPortTests {
    static let endpoints: [(text: String, host: String, port: UInt16)] = [
        ("127.0.0.1:7070", "127.0.0.1", 7070), ("localhost:0", "localhost", 0), ("[::1]:7070", "::1", 7070),
        ("0.0.0.0:9000", "0.0.0.0", 9000), ("node-3.cluster:65535", "node-3.cluster", 65535),
        ("[fe80::1%eth0]:80", "fe80::1%eth0", 80), ("host:00080", "host", 80),
    ]

    @Test(arguments: endpoints)
    func parsesEndpoints(_ text: String, _ host: String, _ port: UInt16) {
        #expect(HostPort.parse(text) == HostPort(host: host, port: port))
    }

    @Test(arguments: [
        "", "localhost", "localhost:", ":7070", "host:65536", "host:99999999999", "host:-1", "host:+80",
        "host:80x", "::1:7070", "[::1]", "[::1]:", "[]:80", "[localhost]:80", "[::1:80", "::1]:80",
        "my host:80", "host/x:80", "host: 80",
    ])
    func rejectsMalformedEndpoints(_ text: String) {
        #expect(HostPort.parse(text) == nil)
    }

    @Test(arguments: ["127.0.0.1:7070", "[::1]:7070", "localhost:0"])
    func descriptionRoundTrips(_ text: String) throws {
        let endpoint = try #require(HostPort.parse(text))
        #expect(endpoint.description == text)
        #expect(HostPort.parse(endpoint.description) == endpoint)
    }
}
