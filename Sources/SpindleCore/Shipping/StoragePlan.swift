/// What the coordinator tells each worker at registration so that it can decide its ``WorkerStorage``:
/// the inputs with their recorded identities, where the output token is and what it holds, whether
/// shipping is forced (`--ship-input`, `--ship-output`), and the port of the coordinator's shipping server.
package struct StoragePlan: WireCodable, Equatable, Sendable {
    /// One input file as the coordinator planned it.
    package struct Input: WireCodable, Equatable, Sendable {
        package var path: String
        package var identity: FileIdentity
        package init(path: String, identity: FileIdentity) {
            self.path = path
            self.identity = identity
        }
        package func encode(to w: inout WireWriter) { w.write(path); w.write(identity) }
        package init(from r: inout WireReader) throws { path = try r.read(String.self); identity = try r.read(FileIdentity.self) }
    }

    /// The port of the coordinator's shipping server, on the address the worker reached the coordinator at.
    package var port: UInt16
    /// `OUTPUT/_temporary/_storage-token` as the coordinator sees it.
    package var tokenPath: String
    /// The random bytes the token file holds.
    package var token: [UInt8]
    package var inputs: [Input]
    /// `--ship-input`: every worker gets its input from the coordinator, whatever it could read.
    package var shipInput: Bool
    /// `--ship-output`: every worker ships its part files back, whatever it could see.
    package var shipOutput: Bool

    package init(port: UInt16, tokenPath: String, token: [UInt8], inputs: [Input], shipInput: Bool, shipOutput: Bool) {
        self.port = port
        self.tokenPath = tokenPath
        self.token = token
        self.inputs = inputs
        self.shipInput = shipInput
        self.shipOutput = shipOutput
    }

    package func encode(to w: inout WireWriter) {
        w.write(port); w.write(tokenPath); w.write(token); w.write(inputs); w.write(shipInput); w.write(shipOutput)
    }
    package init(from r: inout WireReader) throws {
        port = try r.read(UInt16.self); tokenPath = try r.read(String.self); token = try r.read([UInt8].self)
        inputs = try r.read([Input].self); shipInput = try r.read(Bool.self); shipOutput = try r.read(Bool.self)
    }

    /// The token file's name under `OUTPUT/_temporary` (an underscore name: never taken for output or input).
    package static let tokenName = "_storage-token"
    /// Random bytes in a token.
    package static let tokenLength = 32
}
