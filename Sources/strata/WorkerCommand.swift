import ArgumentParser
import Logging
import Server

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run the background workers only: event triggers and the trimming of old change events.",
        discussion: """
            Serves no API, so workers scale apart from servers (run `strata serve --no-workers` for
            those). Any number of workers may run on one database: each batch of events is claimed
            by one of them, and a tenant's events are handled in order. Connects like `strata serve`
            (normally as strata_authenticator). SIGTERM or SIGINT finishes the batch in hand, then exits.
            """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var observability: ObservabilityOptions

    @Flag(help: "Run even when connected as a superuser or BYPASSRLS role (throwaway databases only).")
    var allowUnsafeRole = false

    func run() async throws {
        let logger = Logger(label: "strata")
        let schema = try SchemaFiles.load(project.schema)
        let connections = try await project.openDatabase(loopbackPort: nil, logger: logger)
        let launcher = ServerLauncher(connections: connections, configuration: ServerConfiguration(), project: schema,
                                      fallbackSecret: nil, poolSize: 1, allowUnsafeRole: allowUnsafeRole, duties: .work,
                                      metricsPort: try observability.resolvedMetricsPort(), countsMetrics: !observability.noMetrics, schemaMismatches: .ignore, logger: logger)
        do {
            try await launcher.run()
        } catch {
            await connections.close(logger: logger)
            throw error
        }
    }
}
