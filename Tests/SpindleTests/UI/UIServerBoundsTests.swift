import Foundation
import SpindlePosix
import Testing

@testable import Spindle

/// The UI server under abuse: oversized requests, a trickling client and a flood of idle connections are
/// refused or closed, and a good request is still answered.
@Suite(.serialized) struct UIServerBoundsTests {
    static func server(headTimeout: Duration = .seconds(2)) throws -> UIServer {
        let model = LiveJobModel()
        model.observe(0, "job_started", [("job", .string("bounded")), ("workers", .int(1))])
        model.observe(0.1, "stage_added", [("stage", .string("map")), ("tasks", .int(1))])
        var settings = UIServerSettings()
        settings.headTimeout = headTimeout
        let server = try UIServer(host: "127.0.0.1", port: 0, model: model, settings: settings)
        server.start()
        return server
    }

    static func expectAnswers(_ server: UIServer) throws {
        let job = try HTTPTestClient.json(port: server.listener.port, "/api/job")
        #expect(job["name"] as? String == "bounded")
    }

    /// Sends `bytes` (ignoring a send failure: the server may close first) and returns what came back.
    static func exchange(_ server: UIServer, _ bytes: [UInt8]) throws -> String {
        let socket = try TCPSocket.connect(host: "127.0.0.1", port: server.listener.port, timeout: .seconds(5))
        defer { socket.close() }
        try socket.setSendTimeout(.seconds(10))
        try socket.setReceiveTimeout(.seconds(10))
        try? socket.writeAll(bytes)
        return try HTTPTestClient.readAll(socket)
    }

    @Test func everyPageAndDocumentIsServed() throws {
        let server = try Self.server()
        defer { server.stop() }
        for path in ["/", "/workers", "/stages/0", "/timeline", "/supersteps"] {
            let page = try HTTPTestClient.get(port: server.listener.port, path)
            #expect(page.status == 200, "\(path)")
            #expect(page.body.contains("</html>"))
            #expect(page.headers.contains("Content-Security-Policy: default-src 'none'"))
        }
        for path in ["/api/model", "/api/job", "/api/stages", "/api/stages/0", "/api/workers", "/api/timeline", "/api/supersteps"] {
            #expect(try HTTPTestClient.get(port: server.listener.port, path).status == 200, "\(path)")
        }
        #expect(try HTTPTestClient.get(port: server.listener.port, "/api/stages/7").status == 404)
        #expect(try HTTPTestClient.get(port: server.listener.port, "/etc/passwd").status == 404)
    }

    @Test func aRequestLineOfOneMebibyteIsRefused() throws {
        let server = try Self.server()
        defer { server.stop() }
        let reply = try Self.exchange(server, Array(("GET /" + String(repeating: "a", count: 1 << 20) + " HTTP/1.1\r\n\r\n").utf8))
        #expect(reply.isEmpty || reply.hasPrefix("HTTP/1.1 414"), "\(reply.prefix(100))")
        try Self.expectAnswers(server)
    }

    @Test func tenThousandHeadersAreRefused() throws {
        let server = try Self.server()
        defer { server.stop() }
        let reply = try Self.exchange(server, Array(("GET / HTTP/1.1\r\n" + String(repeating: "X-A: b\r\n", count: 10_000) + "\r\n").utf8))
        #expect(reply.isEmpty || reply.hasPrefix("HTTP/1.1 431"), "\(reply.prefix(100))")
        try Self.expectAnswers(server)
    }

    @Test func aClientSendingAByteASecondIsClosed() throws {
        let server = try Self.server(headTimeout: .seconds(2))
        defer { server.stop() }
        let socket = try TCPSocket.connect(host: "127.0.0.1", port: server.listener.port, timeout: .seconds(5))
        defer { socket.close() }
        let request = Array("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\n\r\n".utf8)
        var closedAfter: Int?
        for (i, byte) in request.enumerated() {
            let sent = (try? socket.writeAll([byte])) != nil
            if try !sent || socket.waitReadable(timeout: .seconds(1)) {
                closedAfter = i
                break
            }
        }
        #expect(closedAfter != nil, "the server waited for the whole trickled request")
        if closedAfter != nil {
            try socket.setReceiveTimeout(.seconds(5))
            let reply = try HTTPTestClient.readAll(socket)
            #expect(reply.isEmpty || reply.hasPrefix("HTTP/1.1 408"), "\(reply.prefix(100))")
        }
        try Self.expectAnswers(server)
    }

    @Test func fiveHundredIdleConnectionsAreClosedAndAGoodRequestIsAnswered() throws {
        let server = try Self.server(headTimeout: .seconds(30))
        defer { server.stop() }
        var idle: [TCPSocket] = []
        defer { for socket in idle { socket.close() } }
        for _ in 0..<500 { idle.append(try TCPSocket.connect(host: "127.0.0.1", port: server.listener.port, timeout: .seconds(5))) }
        try Self.expectAnswers(server)
        // Beyond the cap the oldest were dropped: at most maxConnections of the 500 are still open.
        var closed = 0
        for socket in idle where try socket.waitReadable(timeout: .milliseconds(20)) {
            closed += 1
        }
        #expect(closed >= 500 - UIServerSettings().maxConnections, "only \(closed) of 500 idle connections were closed")
    }
}
