import Foundation
import SpindlePosix

/// Hostile peers for the security tests: raw TCP connections that never authenticate.
enum PeerFlood {
    /// Connects to `port` on 127.0.0.1, announces a 64 MiB frame and tries to send all of it.
    /// - Returns: true when the server refused it (closed the connection before taking the 64 MiB).
    static func hugeFrameIsRefused(port: UInt16) -> Bool {
        guard let socket = try? TCPSocket.connect(host: "127.0.0.1", port: port, timeout: .seconds(5)) else { return false }
        defer { socket.close() }
        try? socket.setSendTimeout(.seconds(20))
        let header: [UInt8] = [0x00, 0x00, 0x00, 0x04, MessageKindByte.hello]
        let chunk = [UInt8](repeating: 0, count: 1 << 20)
        do {
            try socket.writeAll(header)
            for _ in 0..<64 { try socket.writeAll(chunk) }
            return false
        } catch {
            return true
        }
    }

    /// The TCP ports process `pid` listens on (from its socket descriptors and /proc/net/tcp*).
    static func listeningPorts(of pid: Int32) -> [UInt16] {
        let fdDirectory = "/proc/\(pid)/fd"
        let links = (try? FileManager.default.contentsOfDirectory(atPath: fdDirectory)) ?? []
        var inodes = Set<String>()
        for fd in links {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fdDirectory)/\(fd)"),
                target.hasPrefix("socket:[")
            else { continue }
            inodes.insert(String(target.dropFirst(8).dropLast()))
        }
        var ports: [UInt16] = []
        for table in ["/proc/\(pid)/net/tcp", "/proc/\(pid)/net/tcp6"] {
            guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                guard fields.count > 9, fields[3] == "0A", inodes.contains(String(fields[9])),
                    let portText = fields[1].split(separator: ":").last, let port = UInt16(portText, radix: 16)
                else { continue }
                ports.append(port)
            }
        }
        return ports
    }
}

/// The hello kind byte (the tests do not import SpindleCore's internals).
enum MessageKindByte {
    static let hello: UInt8 = 1
}
