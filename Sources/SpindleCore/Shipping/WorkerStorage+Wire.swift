/// A worker reports its ``WorkerStorage`` to the coordinator once it has checked it (`storageChecked` frame).
extension WorkerStorage: WireCodable {
    package func encode(to w: inout WireWriter) { w.write(readsInputs); w.write(seesOutput) }
    package init(from r: inout WireReader) throws { self.init(readsInputs: try r.read(Bool.self), seesOutput: try r.read(Bool.self)) }
}
