import Spindle
import SpindleCore
import SpindlePosix

/// The machine a benchmark ran on, as its plot's title names it: cores, memory, CPU model and host name.
struct BenchMachine: Equatable, Sendable {
    /// Cores offered to the benchmark.
    var cores: Int
    /// Physical memory in bytes (`MemTotal` of /proc/meminfo); nil when unknown.
    var memoryBytes: Int?
    /// The CPU's model name (the first `model name` of /proc/cpuinfo); nil when unknown.
    var cpuModel: String?
    /// The host name; empty when unknown.
    var hostName: String

    /// This machine. Reads /proc; a file that cannot be read leaves its fields unknown.
    static func current(cores: Int) -> BenchMachine {
        let meminfo = (try? FileSystem.readFile("/proc/meminfo")).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let cpuinfo = (try? FileSystem.readFile("/proc/cpuinfo")).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return BenchMachine(
            cores: cores, memoryBytes: memoryBytes(meminfo: meminfo), cpuModel: cpuModel(cpuinfo: cpuinfo), hostName: SystemInfo.hostName())
    }

    /// `MemTotal` of a /proc/meminfo text, in bytes.
    static func memoryBytes(meminfo: String) -> Int? {
        guard let line = meminfo.split(separator: "\n").first(where: { $0.hasPrefix("MemTotal:") }) else { return nil }
        let fields = line.split(separator: " ")
        guard fields.count >= 2, let kib = Int(fields[1]), kib > 0 else { return nil }
        return kib * 1024
    }

    /// The first `model name` (x86) or `Model` / `Hardware` (ARM) of a /proc/cpuinfo text, spaces collapsed.
    static func cpuModel(cpuinfo: String) -> String? {
        for key in ["model name", "Model", "Hardware"] {
            for line in cpuinfo.split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingSpaces == key else { continue }
                let value = parts[1].split(whereSeparator: \.isWhitespace).joined(separator: " ")
                if !value.isEmpty { return value }
            }
        }
        return nil
    }

    /// "2 cores, 23.5 GiB, AMD EPYC, host build-1": what is known, in that order.
    var description: String {
        var parts = ["\(cores) core\(cores == 1 ? "" : "s")"]
        if let memoryBytes { parts.append(BenchFormat.bytes(memoryBytes)) }
        if let cpuModel { parts.append(cpuModel) }
        if !hostName.isEmpty { parts.append("host \(hostName)") }
        return parts.joined(separator: ", ")
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return s
    }
}
