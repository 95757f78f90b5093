@_spi(Fuzzing) @testable import Spindle
@testable import SpindleCore
import FuzzSupport

/// The argument parser with the real command specs of `spindle`, and the typed getters on what it returns.
///
/// Input: a byte choosing the command spec, then the arguments separated by NUL bytes (decoded as UTF-8).
/// Invariants: parsing throws a `UsageError` with a message or returns, never traps; a successful parse
/// without help survives a round trip through canonical arguments (`--flag`, `--name=value` per value in
/// order, `--`, the positionals) to an equal result; every typed getter on every value option throws a
/// `UsageError` or returns; a parsed duration reads back from its formatted text exactly, and a parsed
/// `HOST:PORT` from its description.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArgumentParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let specs = FuzzEntryPoints.commandSpecs
    let spec = specs[Int(input.byte()) % specs.count]
    let arguments = input.remainder().split(separator: 0, omittingEmptySubsequences: false)
        .map { String(decoding: $0, as: UTF8.self) }

    let parsed: ParsedArguments
    do {
        parsed = try ArgumentParser.parse(arguments, for: spec)
    } catch {
        require(!error.description.isEmpty, "an empty usage error")
        return 0
    }
    if parsed.helpRequested { return 0 }

    var canonical: [String] = []
    for option in spec.options {
        if option.isFlag {
            if parsed.flag(option.name) { canonical.append("--\(option.name)") }
        } else {
            for value in parsed.values(option.name) {
                require(!value.isEmpty, "option --\(option.name) got an empty value")
                canonical.append("--\(option.name)=\(value)")
            }
            require(option.repeatable || parsed.values(option.name).count <= 1, "--\(option.name) was accepted twice")
        }
    }
    canonical.append("--")
    canonical += parsed.positionals
    do {
        let again = try ArgumentParser.parse(canonical, for: spec)
        require(again == parsed, "canonical arguments \(canonical) parse differently from \(arguments)")
    } catch {
        require(false, "canonical arguments \(canonical) of \(arguments) fail: \(error)")
    }

    for option in spec.options where !option.isFlag {
        let name = option.name
        _ = try? parsed.int(name, default: 0)
        _ = try? parsed.int(name, default: 0, range: 1...64)
        _ = try? parsed.double(name, default: 0)
        _ = try? parsed.intList(name, default: [])
        _ = try? parsed.keyValues(name)
        _ = try? parsed.requiredValue(name)
        if let bytes = try? parsed.size(name, default: 0) {
            require(bytes >= 0, "size --\(name) parsed as \(bytes)")
            _ = ByteSize.format(bytes)
        }
        if let duration = try? parsed.duration(name, default: .zero) {
            require(duration >= .zero, "duration --\(name) parsed as \(duration)")
            let text = DurationText.format(duration)
            require(DurationText.parse(text) == duration, "duration \(duration) formats as '\(text)', which reads back as \(String(describing: DurationText.parse(text)))")
        }
        if let address = (try? parsed.hostPort(name)) ?? nil {
            require(HostPort.parse(address.description) == address, "\(address) does not read back from its description")
        }
    }
    return 0
}

/// The process entry point (SwiftPM links `main` to `<Target>_main`): libFuzzer's driver with this target.
@_cdecl("FuzzArgumentParser_main")
func fuzzArgumentParserMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzArgumentParser)
}
