import ArgumentParser
import Foundation
import Logging
import NIOCore
import SchemaModel
import Server

/// Where the project's files and Strata's local state live.
struct ProjectOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Directory for the embedded PostgreSQL and development secrets (env: STRATA_DATA_DIR).",
        valueName: "dir"))
    var dataDir: String?

    @Option(name: .long, help: ArgumentHelp("Directory of the YAML schema, holding strata.yaml.", valueName: "dir"))
    var schema: String = "schema"

    @Option(name: .long, help: ArgumentHelp("Directory of the ordered SQL migrations.", valueName: "dir"))
    var migrations: String = "migrations"

    @Option(name: .long, help: ArgumentHelp("Directory of the trusted documents (*.graphql).", valueName: "dir"))
    var queries: String = "queries"

    @Option(name: .long, help: ArgumentHelp(
        "PostgreSQL URL, e.g. postgres://strata_authenticator:secret@db:5432/app (env: DATABASE_URL). Without one, Strata runs its own embedded PostgreSQL.",
        valueName: "url"))
    var databaseURL: String?

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    var resolvedDataDirectory: String {
        let path = dataDir ?? environment["STRATA_DATA_DIR"] ?? ".strata"
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }

    func settings() throws -> ProjectSettings {
        try ProjectSettings.load(file: schema + "/strata.yaml", environment: environment)
    }

    /// Opens the configured database (starting the embedded one if no URL is set).
    func openDatabase(loopbackPort: Int?, logger: Logger) async throws -> DatabaseConnections {
        try await DatabaseConnections.open(url: resolvedDatabaseURL(try settings()), dataDirectory: resolvedDataDirectory,
                                           loopbackPort: loopbackPort, logger: logger)
    }

    /// The flag, then `DATABASE_URL`, then `database.url` in strata.yaml; nil means embedded.
    func resolvedDatabaseURL(_ settings: ProjectSettings) -> String? {
        let candidates = [databaseURL, environment["DATABASE_URL"], settings.databaseURL]
        return candidates.compactMap { $0 }.first { !$0.isEmpty }
    }
}

/// Where the HTTP server listens.
struct ListenOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Address to listen on (env: STRATA_HOST; default 127.0.0.1).", valueName: "host"))
    var host: String?

    @Option(name: .long, help: ArgumentHelp("Port to listen on; 0 picks a free one (env: STRATA_PORT; default 8080).", valueName: "port"))
    var port: Int?

    @Option(name: .long, help: ArgumentHelp("Also expose the embedded PostgreSQL on 127.0.0.1 at this port.", valueName: "port"))
    var postgresPort: Int?

    @Option(name: .long, help: ArgumentHelp("Database connections for requests (env: STRATA_CONNECTIONS; default 8).", valueName: "n"))
    var connections: Int?

    @Flag(name: .long, help: ArgumentHelp(
        "Run every request's statement alone, never coalesced with concurrent requests waiting for a connection — queries of the same document, mutations of one statement (env: STRATA_COALESCING=off)."))
    var noCoalescing = false

    @Option(name: .long, help: ArgumentHelp(
        "Reads running at once; more wait and are coalesced while the other connections stay for writes (env: STRATA_CONCURRENT_READS; default: the cores when PostgreSQL runs on this machine, else as many as connections).",
        valueName: "n"))
    var concurrentReads: Int?

    @Option(name: .long, help: ArgumentHelp(
        "Mutations of one statement running at once; more wait and run together, one round trip and one commit for several (env: STRATA_CONCURRENT_WRITES; default: the cores when PostgreSQL runs on this machine, else as many as connections).",
        valueName: "n"))
    var concurrentWrites: Int?

    /// Whether requests waiting for a connection may run as one statement.
    var coalescesRequests: Bool {
        !noCoalescing && ProcessInfo.processInfo.environment["STRATA_COALESCING"] != "off"
    }

    @Option(name: .long, help: ArgumentHelp(
        "Threads serving requests (env: STRATA_THREADS; default: half the cores when PostgreSQL runs on this machine, else every core).",
        valueName: "n"))
    var threads: Int?

    /// How many event loops serve requests. A PostgreSQL on the same machine needs cores too:
    /// there, more loops than half the cores make the loops and the backends take turns on the
    /// same cores (a wake-up each time) rather than serve more.
    func threadCount(databaseURL: String?) throws -> Int {
        var count = threads
        if count == nil, let text = ProcessInfo.processInfo.environment["STRATA_THREADS"] {
            guard let value = Int(text) else { throw UsageError(message: "STRATA_THREADS must be a number, got '\(text)'") }
            count = value
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        if let count {
            guard (1...1_024).contains(count) else { throw UsageError(message: "the number of threads must be between 1 and 1024, got \(count)") }
            return count
        }
        return DatabaseLocation.isLocal(databaseURL) ? max(1, cores / 2) : cores
    }

    /// Sets the number of event loops; before anything uses them.
    func applyThreadCount(databaseURL: String?) throws {
        // NIO's own variable, if an operator set it, stays in charge.
        guard ProcessInfo.processInfo.environment["NIO_SINGLETON_GROUP_LOOP_COUNT"] == nil else { return }
        NIOSingletons.groupLoopCountSuggestion = try threadCount(databaseURL: databaseURL)
    }

    /// The most coalescible reads at once. A PostgreSQL on this machine has its cores and no
    /// more: reads beyond them only take turns, while waiting ones coalesce into one statement.
    /// Of a database elsewhere nothing is known, so reads may use every connection.
    func concurrentReadLimit(databaseURL: String?) throws -> Int? {
        try Self.concurrencyLimit(concurrentReads, variable: "STRATA_CONCURRENT_READS", of: "reads", databaseURL: databaseURL)
    }

    /// The most single-statement mutations at once, by the same reasoning as reads: beside a
    /// local PostgreSQL, writes past its cores wait and commit together.
    func concurrentWriteLimit(databaseURL: String?) throws -> Int? {
        try Self.concurrencyLimit(concurrentWrites, variable: "STRATA_CONCURRENT_WRITES", of: "writes", databaseURL: databaseURL)
    }

    /// `option`, else the environment's `variable`, else the cores beside a local database.
    private static func concurrencyLimit(_ option: Int?, variable: String, of what: String, databaseURL: String?) throws -> Int? {
        var count = option
        if count == nil, let text = ProcessInfo.processInfo.environment[variable] {
            guard let value = Int(text) else { throw UsageError(message: "\(variable) must be a number, got '\(text)'") }
            count = value
        }
        if let count {
            guard (1...1_000).contains(count) else { throw UsageError(message: "the number of concurrent \(what) must be between 1 and 1000, got \(count)") }
            return count
        }
        return DatabaseLocation.isLocal(databaseURL) ? ProcessInfo.processInfo.activeProcessorCount : nil
    }

    func poolSize() throws -> Int {
        var size = connections ?? 8
        if connections == nil, let text = ProcessInfo.processInfo.environment["STRATA_CONNECTIONS"] {
            guard let value = Int(text) else { throw UsageError(message: "STRATA_CONNECTIONS must be a number, got '\(text)'") }
            size = value
        }
        guard (1...1_000).contains(size) else { throw UsageError(message: "the number of connections must be between 1 and 1000, got \(size)") }
        return size
    }

    func configuration(_ settings: ProjectSettings) throws -> ServerConfiguration {
        let environment = ProcessInfo.processInfo.environment
        let host = host ?? environment["STRATA_HOST"] ?? settings.host ?? "127.0.0.1"
        let resolvedPort: Int
        if let port {
            resolvedPort = port
        } else if let text = environment["STRATA_PORT"] {
            guard let value = Int(text) else {
                throw UsageError(message: "STRATA_PORT must be a port number, got '\(text)'")
            }
            resolvedPort = value
        } else {
            resolvedPort = settings.port ?? 8080
        }
        guard (0...65535).contains(resolvedPort) else {
            throw UsageError(message: "the port must be between 0 and 65535, got \(resolvedPort)")
        }
        if let postgresPort, !(1...65535).contains(postgresPort) {
            throw UsageError(message: "--postgres-port must be between 1 and 65535, got \(postgresPort)")
        }
        return ServerConfiguration(host: host, port: resolvedPort, maximumHeaderBytes: settings.resilience.maximumHeaderBytes,
                                   requestHeadTimeout: .milliseconds(settings.resilience.requestHeadTimeoutMilliseconds),
                                   idleTimeout: .milliseconds(settings.resilience.idleTimeoutMilliseconds),
                                   requestTimeout: .milliseconds(settings.resilience.requestTimeoutMilliseconds))
    }
}
