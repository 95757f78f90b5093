import SpindleCore
import SpindlePosix

extension Coordinator {
    /// Writes the output token (`OUTPUT/_temporary/_storage-token`, random bytes), starts the shipping server on
    /// the `--listen` address, and returns the plan every worker checks itself against at registration. In-process
    /// workers share the coordinator's files: no token, no server, no plan.
    /// - Throws: when the token cannot be written or the server cannot listen (the message names the port).
    func startShipping() throws -> StoragePlan? {
        guard options.inProcess == nil else { return nil }
        let token = SecureRandom.bytes(StoragePlan.tokenLength)
        let tokenPath = options.output.temporaryDirectory + "/" + StoragePlan.tokenName
        try FileSystem.writeFileAtomically(tokenPath, token)
        let inputs = options.inputs.compactMap { file in file.identity.map { StoragePlan.Input(path: file.path, identity: $0) } }
        let server: ShipServer
        do {
            server = try ShipServer(
                host: options.listen.host, port: options.shipping.port, secret: options.secret, inputs: inputs, output: options.output)
        } catch {
            throw SpindleError(
                .other,
                "the shipping server cannot listen on \(options.listen.host) port \(options.shipping.port): \(error); choose a free --ship-port")
        }
        server.start()
        shipServer = server
        events.record(
            "shipping_listening",
            [
                ("port", .int(Int(server.port))), ("ship_input", .bool(options.shipping.shipInput)),
                ("ship_output", .bool(options.shipping.shipOutput)),
            ])
        return StoragePlan(
            port: server.port, tokenPath: tokenPath, token: token, inputs: inputs, shipInput: options.shipping.shipInput,
            shipOutput: options.shipping.shipOutput)
    }

    /// Stops the shipping server (after the workers) and records what it shipped: `shipping_done` with the input
    /// bytes sent to workers and the part files (and bytes) they sent back, attempts that did not commit included.
    func stopShipping() {
        guard let server = shipServer else { return }
        server.stop()
        events.record(
            "shipping_done",
            [
                ("input_bytes", .int(server.inputBytesSent.load(ordering: .relaxed))),
                ("files_received", .int(server.filesStored.load(ordering: .relaxed))),
                ("bytes_received", .int(server.bytesStored.load(ordering: .relaxed))),
            ])
    }
}
