import ArgumentParser
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the GraphQL API.",
        discussion: """
            Connects as the role in the database URL (normally strata_authenticator) and refuses a
            superuser or BYPASSRLS role, which row-level security would not apply to, and a schema that
            does not match the database (what `strata check` reports; --skip-check serves anyway). Without a URL,
            uses the embedded PostgreSQL under --data-dir (run `strata migrate` first).
            Stops on SIGTERM or SIGINT after finishing in-flight requests.
            """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var listen: ListenOptions
    @OptionGroup var observability: ObservabilityOptions

    @Flag(name: .customLong("no-workers"), help: "Serve the API only; run the background workers (event triggers) elsewhere with `strata worker`.")
    var noWorkers = false

    @Flag(help: "Serve even when connected as a superuser or BYPASSRLS role (throwaway databases only).")
    var allowUnsafeRole = false

    @Flag(help: "Serve even when the schema does not match the database as `strata check` reports; each mismatch is logged as a warning.")
    var skipCheck = false

    func run() async throws {
        let logger = Logger(label: "strata")
        let settings = try project.settings()
        try listen.applyThreadCount(databaseURL: project.resolvedDatabaseURL(settings))
        let configuration = try listen.configuration(settings)
        // Usage errors before the database starts.
        let (poolSize, databaseURL) = (try listen.poolSize(), project.resolvedDatabaseURL(settings))
        let (concurrentReads, concurrentWrites) = (try listen.concurrentReadLimit(databaseURL: databaseURL),
                                                   try listen.concurrentWriteLimit(databaseURL: databaseURL))
        let schema = try SchemaFiles.load(project.schema)
        let connections = try await project.openDatabase(loopbackPort: listen.postgresPort, logger: logger)
        let launcher = ServerLauncher(connections: connections, configuration: configuration, project: schema,
                                      fallbackSecret: DevelopmentSecret.existing(in: project.resolvedDataDirectory),
                                      poolSize: poolSize, coalescesRequests: listen.coalescesRequests,
                                      concurrentReads: concurrentReads, concurrentWrites: concurrentWrites, allowUnsafeRole: allowUnsafeRole, duties: noWorkers ? .serve : .serveAndWork,
                                      metricsPort: try observability.resolvedMetricsPort(), countsMetrics: !observability.noMetrics, queriesDirectory: project.queries, schemaDirectory: project.schema, watchesFiles: false,
                                      schemaMismatches: skipCheck ? .warn : .refuse, logger: logger)
        do {
            try await launcher.run()
        } catch {
            await connections.close(logger: logger)
            throw error
        }
    }
}
