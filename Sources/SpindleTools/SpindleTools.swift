import Spindle
import SpindleCore

/// The project's own tools, kept out of the runtime library that users link: `spindle generate` (the
/// deterministic text and graph generators, which also make the sample datasets), `spindle bench` (speedup
/// measurements against a baseline), `spindle init` (a new package of one's own jobs) and the fault-injecting demo job `checksum`.
package enum SpindleTools {
    /// The `generate`, `bench` and `init` subcommands, in the order `spindle --help` lists them.
    package static let commands: [ToolCommand] = [
        ToolCommand(spec: ToolCommandSpecs.generate) { arguments, _ in try GenerateCommand.execute(arguments) },
        ToolCommand(spec: ToolCommandSpecs.bench) { arguments, registry in
            try BenchCommand(registry: registry, arguments: arguments).execute()
        },
        ToolCommand(spec: InitCommand.spec) { arguments, _ in try InitCommand.execute(arguments) },
    ]
}
