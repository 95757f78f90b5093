import Spindle

/// One partition of `bsp-components`: every vertex the partition knows (its own vertices and the other
/// endpoints of their edges), grouped into components by a local union-find over those edges, and each
/// component's label: the smallest vertex id known to be in it.
///
/// A vertex held by several partitions links their components: whenever a component's label drops, the
/// partition sends the new label of each of its boundary vertices to the partitions that also hold the vertex.
public struct ComponentsPartition: WireCodable, Sendable {
    /// The vertices this partition knows, sorted ascending.
    var ids: [Int64] = []
    /// Whether `ids[i]` belongs to this partition (and is written to its output).
    var owned: [Bool] = []
    /// The component of `ids[i]`, numbered in order of the components' smallest ids.
    var component: [Int32] = []
    /// The label of each component.
    var label: [Int64] = []
    /// Boundary entries, sorted: vertex `ids[boundaryVertex[k]]` is also held by partition `boundaryPartition[k]`.
    var boundaryVertex: [Int32] = []
    var boundaryPartition: [Int32] = []

    /// A label arrived for a vertex this partition does not hold.
    struct UnknownVertex: Error, CustomStringConvertible {
        var vertex: Int64
        var partition: Int
        var description: String { "partition \(partition) got a label for vertex \(vertex), which it does not hold" }
    }

    /// Builds partition `partition`'s union-find from `edges` (each edge `source -> target` as a pair), all of
    /// which touch one of its vertices.
    init<Edges: Sequence<Pair<Int64, Int64>>>(partition: Int, partitionCount: Int, edges: Edges) {
        let edges = Array(edges)
        ids.reserveCapacity(edges.count * 2)
        for e in edges {
            ids.append(e.first)
            ids.append(e.second)
        }
        ids.sort()
        var distinct = 0
        for i in ids.indices where i == 0 || ids[i] != ids[distinct - 1] {
            ids[distinct] = ids[i]
            distinct += 1
        }
        ids.removeLast(ids.count - distinct)
        var parent = (0..<Int32(ids.count)).map { $0 }
        func find(_ x: Int32) -> Int32 {
            var x = x
            while parent[Int(x)] != x {
                parent[Int(x)] = parent[Int(parent[Int(x)])]
                x = parent[Int(x)]
            }
            return x
        }
        var boundary: [UInt64] = []
        for e in edges {
            let (u, v) = (Int32(index(of: e.first)!), Int32(index(of: e.second)!))
            let (ru, rv) = (find(u), find(v))
            if ru != rv { parent[Int(max(ru, rv))] = min(ru, rv) }
            let (pu, pv) = (BSPComponents.partition(of: e.first, count: partitionCount), BSPComponents.partition(of: e.second, count: partitionCount))
            if pu != pv {
                // The edge is held by both owners: each tells the other about its own endpoint.
                if pu == partition { boundary.append(UInt64(u) << 32 | UInt64(pv)) }
                if pv == partition { boundary.append(UInt64(v) << 32 | UInt64(pu)) }
            }
        }
        var numbers = [Int32](repeating: -1, count: ids.count)
        component = [Int32](repeating: 0, count: ids.count)
        for i in ids.indices {
            let root = Int(find(Int32(i)))
            if numbers[root] < 0 {
                numbers[root] = Int32(label.count)
                label.append(ids[i])  // ids ascend, so the first vertex seen is the component's smallest
            }
            component[i] = numbers[root]
        }
        owned = ids.map { BSPComponents.partition(of: $0, count: partitionCount) == partition }
        boundary.sort()
        for (k, entry) in boundary.enumerated() where k == 0 || boundary[k - 1] != entry {
            boundaryVertex.append(Int32(entry >> 32))
            boundaryPartition.append(Int32(truncatingIfNeeded: entry))
        }
    }

    /// The index of vertex `id` in `ids`, if the partition holds it.
    func index(of id: Int64) -> Int? {
        var low = 0
        var high = ids.count
        while low < high {
            let mid = (low + high) / 2
            if ids[mid] < id { low = mid + 1 } else { high = mid }
        }
        return low < ids.count && ids[low] == id ? low : nil
    }

    /// Lowers the labels of the components of the vertices in `labels` (pairs `vertex, label`); returns
    /// which components' labels dropped.
    mutating func merge<Labels: Sequence<Pair<Int64, Int64>>>(_ labels: Labels, partition: Int) throws -> [Bool] {
        var changed = [Bool](repeating: false, count: label.count)
        for message in labels {
            guard let i = index(of: message.first) else { throw UnknownVertex(vertex: message.first, partition: partition) }
            let c = Int(component[i])
            if message.second < label[c] {
                label[c] = message.second
                changed[c] = true
            }
        }
        return changed
    }

    public func encode(to w: inout WireWriter) {
        w.write(ids); w.write(owned); w.write(component); w.write(label); w.write(boundaryVertex); w.write(boundaryPartition)
    }

    public init(from r: inout WireReader) throws {
        ids = try r.read([Int64].self); owned = try r.read([Bool].self); component = try r.read([Int32].self)
        label = try r.read([Int64].self); boundaryVertex = try r.read([Int32].self); boundaryPartition = try r.read([Int32].self)
        guard owned.count == ids.count, component.count == ids.count, boundaryVertex.count == boundaryPartition.count,
            component.allSatisfy({ $0 >= 0 && Int($0) < label.count }), boundaryVertex.allSatisfy({ $0 >= 0 && Int($0) < ids.count })
        else { throw WireError.invalidValue(type: "ComponentsPartition", detail: "inconsistent array sizes or indices") }
    }
}
