import SpindlePosix
import Testing

@testable import Spindle

@Suite struct FetchConnectionPoolTests {
    /// `count` connected client sockets (with their accepted ends, kept alive by the caller).
    static func connections(_ count: Int) throws -> (clients: [FramedSocket], servers: [TCPSocket], listener: TCPListener) {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        var clients: [FramedSocket] = []
        var servers: [TCPSocket] = []
        for _ in 0..<count {
            clients.append(FramedSocket(socket: try TCPSocket.connect(host: "127.0.0.1", port: listener.port, timeout: .seconds(5))))
            servers.append(try #require(try listener.accept(timeout: .seconds(5))))
        }
        return (clients, servers, listener)
    }

    @Test func givesBackWhatItKeptPerServerLastInFirstOut() throws {
        let (clients, servers, listener) = try Self.connections(2)
        defer { withExtendedLifetime((servers, listener)) {} }
        let pool = FetchConnectionPool()
        #expect(pool.take("a:1") == nil)
        pool.give(clients[0], to: "a:1")
        pool.give(clients[1], to: "a:1")
        #expect(pool.take("b:2") == nil, "connections are kept per server")
        #expect(pool.take("a:1") === clients[1])
        #expect(pool.take("a:1") === clients[0])
        #expect(pool.take("a:1") == nil)
    }

    @Test func keepsAtMostALimitPerServer() throws {
        let extra = 2
        let (clients, servers, listener) = try Self.connections(FetchConnectionPool.maxIdlePerServer + extra)
        defer { withExtendedLifetime((servers, listener)) {} }
        let pool = FetchConnectionPool()
        for client in clients { pool.give(client, to: "a:1") }
        #expect(pool.idleCount("a:1") == FetchConnectionPool.maxIdlePerServer)
        pool.closeAll()
        #expect(pool.idleCount("a:1") == 0)
    }

    @Test func doesNotReuseConnectionsIdleTooLong() throws {
        let (clients, servers, listener) = try Self.connections(1)
        defer { withExtendedLifetime((servers, listener)) {} }
        let pool = FetchConnectionPool(maxIdle: .milliseconds(1))
        pool.give(clients[0], to: "a:1")
        MonotonicClock.sleep(.milliseconds(20))
        #expect(pool.take("a:1") == nil)
        #expect(pool.idleCount("a:1") == 0)
    }
}
