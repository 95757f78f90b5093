import Foundation
import SpindlePosix

/// A minimal HTTP/1.1 client over the project's sockets, for the UI server's tests.
enum HTTPTestClient {
    struct Response {
        var status: Int
        var headers: String
        var body: String
    }

    /// Sends `GET path` and reads the response to the end (the server closes after each response).
    static func get(port: UInt16, _ path: String, host: String = "127.0.0.1") throws -> Response {
        let socket = try TCPSocket.connect(host: host, port: port, timeout: .seconds(5))
        defer { socket.close() }
        try socket.setReceiveTimeout(.seconds(10))
        try socket.writeAll(Array("GET \(path) HTTP/1.1\r\nHost: \(host)\r\n\r\n".utf8))
        let raw = try readAll(socket)
        guard let split = raw.range(of: "\r\n\r\n") else { throw TestFailure("no response head from \(path): \(raw.prefix(200))") }
        let head = String(raw[..<split.lowerBound])
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        return Response(status: status, headers: head, body: String(raw[split.upperBound...]))
    }

    /// Everything the peer sends until it closes (or resets) the connection.
    static func readAll(_ socket: TCPSocket) throws -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n: Int
            do { n = try buffer.withUnsafeMutableBytes { try socket.read(into: $0) } } catch { break }
            if n == 0 { break }
            bytes += buffer[..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The JSON object at `path`.
    static func json(port: UInt16, _ path: String) throws -> [String: Any] {
        let response = try get(port: port, path)
        guard response.status == 200 else { throw TestFailure("GET \(path): \(response.status) \(response.body.prefix(200))") }
        guard let object = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any] else {
            throw TestFailure("GET \(path) is not a JSON object")
        }
        return object
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
