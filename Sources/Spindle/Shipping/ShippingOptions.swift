/// `spindle run`'s shipping settings.
struct ShippingOptions: Sendable {
    /// `--ship-input`: every worker reads its input through the coordinator. Default off: only workers that cannot
    /// read an input with its recorded identity do.
    var shipInput = false
    /// `--ship-output`: every worker sends its part files to the coordinator. Default off: only workers that do not
    /// find the coordinator's token in the output directory do.
    var shipOutput = false
    /// `--ship-port`: the port of the coordinator's shipping server on the `--listen` address; 0: any free port.
    var port: UInt16 = 0
}
