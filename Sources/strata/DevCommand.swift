import ArgumentParser
import Events
import Logging

struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Start a development server: embedded PostgreSQL, roles, migrations, demo data (if <migrations>/demo exists), then serve.",
        discussion: """
            The embedded PostgreSQL lives under --data-dir (default .strata) and is reused by later
            runs and by other strata processes on the same directory; it stops when the last of them exits.
            """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var listen: ListenOptions
    @OptionGroup var observability: ObservabilityOptions

    @Flag(name: .customLong("no-workers"), help: "Serve the API only, without the background workers (event triggers).")
    var noWorkers = false

    @Flag(name: .customLong("no-watch"), help: "Do not reload when a file under schema/ or queries/ changes (SIGHUP still reloads).")
    var noWatch = false

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
        do {
            let outcome = try await connections.migrate(directory: project.migrations, demoData: .ifPresent, roles: schema.provisionedRoles,
                                                        capturing: CapturedTable.all(in: schema),
                                                        handlers: try TriggerHandler.all(in: schema), logger: logger)
            if !outcome.roles.created.isEmpty { Console.announce("Created role(s): \(outcome.roles.created.joined(separator: ", "))") }
            let applied = outcome.applied
            Console.announce(applied.isEmpty ? "Database is up to date." : "Applied \(applied.count) migration(s): \(applied.joined(separator: ", "))")
            Console.announce("Database: \(connections.server.displayName)")
            let secret = try DevelopmentSecret.loadOrCreate(in: project.resolvedDataDirectory)
            try await ServerLauncher(connections: connections, configuration: configuration, project: schema,
                                     fallbackSecret: secret, poolSize: poolSize, coalescesRequests: listen.coalescesRequests,
                                     concurrentReads: concurrentReads, concurrentWrites: concurrentWrites,
                                     allowUnsafeRole: false, duties: noWorkers ? .serve : .serveAndWork,
                                     metricsPort: try observability.resolvedMetricsPort(), countsMetrics: !observability.noMetrics, queriesDirectory: project.queries, schemaDirectory: project.schema, watchesFiles: !noWatch, consoleByDefault: true,
                                     schemaMismatches: .warn, logger: logger).run()
        } catch {
            await connections.close(logger: logger)
            throw error
        }
    }
}
