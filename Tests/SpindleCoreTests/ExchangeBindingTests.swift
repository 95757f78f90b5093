import Testing

@testable import SpindleCore

@Suite struct ExchangeBindingTests {
    @Test(arguments: ["127.0.0.1", "127.1.2.3", "127.255.255.254", "::1", "::ffff:127.0.0.1", "0:0:0:0:0:0:0:1"])
    func aCoordinatorReachedOnLoopbackKeepsTheFetchServerOnLoopback(_ address: String) {
        #expect(ExchangeBinding.isLoopback(address))
        #expect(ExchangeBinding.listenHost(bind: nil, advertise: nil, coordinatorAddress: address) == "127.0.0.1")
    }

    @Test(arguments: ["10.0.0.5", "192.168.1.1", "::ffff:10.0.0.1", "fe80::1", "128.0.0.1", "1127.0.0.1", "127.0.0", "vm", "localhost"])
    func aRemoteCoordinatorMakesTheFetchServerListenOnEveryInterface(_ address: String) {
        #expect(!ExchangeBinding.isLoopback(address))
        #expect(ExchangeBinding.listenHost(bind: nil, advertise: nil, coordinatorAddress: address) == "0.0.0.0")
    }

    @Test func theLiteralCoordinatorTextDoesNotDecideOnlyTheResolvedAddressDoes() {
        // `--coordinator vm:7070` where vm resolves to 127.0.0.1: the worker passes the connected address.
        #expect(ExchangeBinding.listenHost(bind: nil, advertise: nil, coordinatorAddress: "127.0.0.1") == "127.0.0.1")
    }

    @Test func bindWinsThenAdvertise() {
        #expect(ExchangeBinding.listenHost(bind: "10.1.1.1", advertise: "10.2.2.2", coordinatorAddress: "127.0.0.1") == "10.1.1.1")
        #expect(ExchangeBinding.listenHost(bind: nil, advertise: "127.0.0.2", coordinatorAddress: "10.0.0.5") == "127.0.0.2")
        #expect(ExchangeBinding.listenHost(bind: "0.0.0.0", advertise: nil, coordinatorAddress: "127.0.0.1") == "0.0.0.0")
    }

    @Test(arguments: ["", "a b", "host:7070", "a/b", "[::1]", String(repeating: "x", count: 256), "tab\there"])
    func badHostsAreRefused(_ host: String) {
        #expect(ExchangeBinding.problem(with: host) != nil)
    }

    @Test(arguments: ["127.0.0.2", "node-7.example.org", "::1", "fe80::1", "0.0.0.0"])
    func hostsAndAddressesAreAccepted(_ host: String) {
        #expect(ExchangeBinding.problem(with: host) == nil)
    }
}
