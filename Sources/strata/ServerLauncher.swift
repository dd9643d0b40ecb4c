import APISchema
import Database
import Events
import Foundation
import GraphQLLanguage
import SchemaModel
import Logging
import NIOCore
import PostgresNIO
import Server
import ServiceLifecycle
import SQL
import Metrics
import Telemetry

/// Checks the login role, then runs the pool, the HTTP server and the background workers as
/// one service group until SIGTERM or SIGINT, finishing in-flight requests (and the batch of
/// events in hand) before the embedded cluster may stop.
struct ServerLauncher {
    /// What this process runs: the API, the background workers (event triggers, retention), or both.
    enum Duties: Sendable {
        case serveAndWork, serve, work

        var serves: Bool { self != .work }
        var works: Bool { self != .serve }
    }

    var connections: DatabaseConnections
    var configuration: ServerConfiguration
    var project: SchemaProject
    /// The HS secret when the project sets none (the development secret).
    var fallbackSecret: String?
    var poolSize: Int
    /// Whether requests of one query waiting for a connection run as one statement.
    var coalescesRequests = true
    /// The most coalescible reads running at once; nil: as many as connections.
    var concurrentReads: Int?
    /// The most single-statement mutations running at once; nil: as many as connections.
    var concurrentWrites: Int?
    var allowUnsafeRole: Bool
    var duties: Duties = .serveAndWork
    /// Serve `/metrics` (and the health checks) on this port instead of the main one.
    var metricsPort: Int?
    /// Whether metrics are counted and served at all (`--no-metrics`).
    var countsMetrics = true
    /// Where the trusted documents are (`--queries`).
    var queriesDirectory = "queries"
    /// Where the YAML schema is (`--schema`), read again on reload.
    var schemaDirectory = "schema"
    /// Whether to reload when a project file changes (`strata dev`), beside SIGHUP.
    var watchesFiles = false
    /// Whether browsers get the GraphiQL page when `server.console` does not say (`strata dev`).
    var consoleByDefault = false
    /// What a schema that does not match the database does to the start.
    var schemaMismatches = SchemaMismatchPolicy.refuse
    /// How log lines look (`--log-format`), for the request lines written without swift-log.
    var logFormat = LogFormat.requested(arguments: CommandLine.arguments, environment: ProcessInfo.processInfo.environment)
    var logger: Logger
    /// The process's metrics.
    let metrics = StrataMetrics()

    func run() async throws {
        try await checkLoginRole()
        try await checkStrataFunctions()
        try await checkSchema()
        if countsMetrics { MetricsSystem.bootstrap(metrics.factory) }
        var services: [any Service] = []
        if let lease = connections.lease {
            services.append(ClusterLeaseService(lease: lease, logger: logger))
        }
        // Before the HTTP server, so it stops after it and sends the last requests' spans.
        let traces = duties.serves ? try traceExport() : nil
        if let traces { services.append(traces.service) }
        // One feed of committed changes wakes both the workers and the subscriptions.
        let feed = ChangeFeed(endpoint: connections.server, logger: logger)
        services.append(feed)
        let backlog = EventBacklog(endpoint: connections.server, metrics: metrics, logger: logger)
        if countsMetrics { metrics.beforeScrape { await backlog.collect() } }
        let workers = duties.works ? try workerServices(feed: feed) : (services: [], readiness: [])
        if duties.serves { services += try await apiServices(feed: feed, readiness: workers.readiness, tracing: traces?.tracing) }
        services += workers.services
        if let metricsPort, countsMetrics {
            var separate = configuration
            separate.port = metricsPort
            let server = StrataHTTPServer(configuration: separate, readiness: AllReady(workers.readiness), graphQL: nil, metrics: metrics, logger: logger)
            services.append(server.makeService { url in Console.announce("Metrics: \(url)/metrics") })
        }
        do {
            try await runGroup(services)
        } catch {
            await backlog.close()
            throw error
        }
        await backlog.close()
    }

    /// The event reader with the YAML's triggers, and the trimming of old change events.
    func workerServices(feed: ChangeFeed) throws -> (services: [any Service], readiness: [any ReadinessCheck]) {
        let settings = project.settings
        let handlers: [any EventHandler]
        do {
            handlers = try TriggerHandler.all(in: project)
        } catch {
            throw LaunchError(message: "the event triggers cannot be planned: \(error)")
        }
        var services: [any Service] = [
            EventRetention(endpoint: connections.server, retention: .seconds(settings.eventRetentionHours * 3_600), logger: logger),
        ]
        var readiness: [any ReadinessCheck] = []
        if !handlers.isEmpty {
            let reader = EventReader(configuration: .init(endpoint: connections.server, role: settings.eventRole), handlers: handlers, feed: feed,
                                     metrics: countsMetrics ? EventMetrics(metrics) : nil, logger: logger)
            services.append(reader)
            readiness.append(ReaderReadiness(reader: reader))
            logger.info("running \(handlers.count) event trigger(s)", metadata: ["triggers": "\(handlers.map(\.name).joined(separator: ", "))"])
        }
        if !settings.schedules.isEmpty {
            let tenants = settings.tenantsTable.flatMap { project.table(named: $0) }.flatMap { table in
                table.primaryKey.first.map { (table: SQLQualifiedName(schema: SQLIdentifier(table.schema), SQLIdentifier(table.table)), key: SQLIdentifier(table.sqlName(ofColumn: $0))) }
            }
            services.append(Scheduler(configuration: .init(endpoint: connections.server, role: settings.eventRole, tenants: tenants),
                                      schedules: settings.schedules, metrics: countsMetrics ? EventMetrics(metrics) : nil, logger: logger))
        }
        if !duties.serves { Console.announce("Strata is working: \(handlers.count) event trigger(s) (SIGTERM finishes the batch in hand)") }
        return (services, readiness)
    }

    /// The pools, the subscription hub and the HTTP server.
    /// `readiness`: what `/readyz` asks beyond the database (the workers of this process).
    func apiServices(feed: ChangeFeed, readiness: [any ReadinessCheck], tracing: RequestTracing? = nil) async throws -> [any Service] {
        let client = PostgresClient(configuration: connections.server.clientConfiguration, backgroundLogger: logger)
        let settings = project.settings
        var poolConfiguration = SessionPool.Configuration(
            endpoint: connections.server, maximumConnections: poolSize,
            scope: settings.poolMode == .transaction ? .transaction : .session,
            statementTimeoutMilliseconds: settings.limits.statementTimeoutMilliseconds, roles: Set(project.roleNames),
            acquireTimeout: .milliseconds(settings.resilience.acquireTimeoutMilliseconds),
            maximumWaiting: settings.resilience.maximumWaiting,
            breaker: CircuitBreaker.Configuration(failureThreshold: settings.resilience.breakerFailures,
                                                  window: .milliseconds(settings.resilience.breakerWindowMilliseconds),
                                                  probeInterval: .milliseconds(settings.resilience.breakerProbeMilliseconds)))
        poolConfiguration.coalescesRequests = coalescesRequests
        poolConfiguration.concurrentReads = concurrentReads
        poolConfiguration.concurrentWrites = concurrentWrites
        let pool = SessionPools(configuration: poolConfiguration, logger: logger)
        let apis: [String: RoleSchema]
        do {
            apis = try RoleSchema.buildAll(project)
        } catch {
            throw LaunchError(message: "the API is not a valid schema: \(error.errors.map(\.message).joined(separator: "; "))")
        }
        let requestMetrics = countsMetrics ? RequestMetrics(metrics) : nil
        let parserLimits = ParserLimits(maxTokens: settings.limits.maxTokens, maxDepth: settings.limits.maxDepth)
        var trusted = TrustedDocuments(mode: settings.trustedDocuments)
        if settings.trustedDocuments != .off {
            switch TrustedDocuments.load(directory: queriesDirectory, displayDirectory: queriesDirectory, apis: apis, limits: parserLimits) {
            case .success(let entries):
                trusted = TrustedDocuments(mode: settings.trustedDocuments, entries: entries)
                logger.info("\(entries.count) trusted document(s) from \(queriesDirectory)/ (trusted_documents: \(settings.trustedDocuments.rawValue))")
            case .failure(let problems):
                throw LaunchError(message: "the trusted documents do not validate:\n\(problems.description)")
            }
        }
        let executor = GraphQLExecutor(apis: apis, pools: pool, limits: parserLimits, logger: logger, metrics: requestMetrics, trusted: trusted)
        let configuredSecret = settings.auth.secret.flatMap { $0.isEmpty ? nil : $0 }
        let authenticator: TokenAuthenticator
        do {
            authenticator = try await TokenAuthenticator.make(settings: settings.auth, roles: Set(project.roleNames),
                                                              requirements: project.sessionRequirements, secret: configuredSecret ?? fallbackSecret)
        } catch let error as AuthConfigurationError {
            throw LaunchError(message: "auth settings in strata.yaml: \(error.description)")
        }
        let sockets = SocketSettings(initTimeout: .milliseconds(settings.resilience.websocketInitTimeoutMilliseconds),
                                     pingInterval: .milliseconds(settings.resilience.websocketPingIntervalMilliseconds),
                                     maxConnectionsPerTenant: settings.resilience.websocketMaxConnectionsPerTenant,
                                     maxMessagesPerSecondPerTenant: settings.resilience.websocketMaxMessagesPerSecondPerTenant)
        // Live queries refresh on connections of their own, planned once per statement: a cohort's
        // one parameter is its members' JSON, so a generic plan serves every refresh.
        var refreshConfiguration = pool.partitions[0].configuration
        refreshConfiguration.maximumConnections = max(2, poolSize / 2)
        refreshConfiguration.planCacheMode = "force_generic_plan"
        let refreshPools = SessionPools(configuration: refreshConfiguration, logger: logger)
        let hub = SubscriptionHub(endpoint: connections.server, refreshPools: refreshPools, feed: feed, logger: logger)
        for gap in SubscriptionCoverage.gaps(in: project) { logger.notice("\(gap)") }
        let log = RequestLog(metrics: requestMetrics, logger: Logger(label: "strata.request"),
                             slowThreshold: .milliseconds(settings.resilience.slowOperationMilliseconds), writer: RequestLines(format: logFormat))
        // Always there, even without limits now: a reload may bring some.
        let rateLimiter = RateLimiter(limits: settings.rateLimits, metrics: countsMetrics ? metrics : nil)
        let sharedLimits = SharedRateLimits(limiter: rateLimiter, endpoint: connections.server, logger: logger)
        let endpoint = GraphQLEndpoint(executor: executor, authenticator: authenticator, socketSettings: sockets, hub: hub, log: log,
                                       rateLimiter: rateLimiter, tracing: tracing, console: settings.console ?? consoleByDefault)
        if countsMetrics {
            ProcessMetrics(metrics, roles: project.roleNames).follow(pools: pool, sockets: endpoint.socketCounters, hub: hub)
        }
        let http = StrataHTTPServer(configuration: configuration, readiness: AllReady([DatabaseReadiness(client: client)] + readiness),
                                    graphQL: endpoint, metrics: metricsPort == nil && countsMetrics ? metrics : nil, logger: logger)
        let application = http.makeService { url in
            Console.announce("Strata is serving \(url)/graphql  (health: \(url)/healthz)")
            StartupPages.releaseWhenSettled()
        }
        let reload = APIReload(schemaDirectory: schemaDirectory, queriesDirectory: queriesDirectory, endpoint: endpoint, pools: pool,
                               metrics: requestMetrics, fallbackSecret: fallbackSecret, started: settings, logger: logger)
        let reloader = ProjectReloader(watched: watchesFiles ? [schemaDirectory, queriesDirectory] : [], interval: .seconds(1), logger: logger) {
            await reload()
        }
        return [client, pool, refreshPools, hub, sharedLimits, reloader, application]
    }

    /// The OTLP export of requests' spans, if an endpoint is configured.
    func traceExport() throws -> (tracing: RequestTracing, service: any Service)? {
        do {
            guard let export = try TraceExport.make(project.settings.tracing, logger: logger) else { return nil }
            logger.info("exporting request spans over OTLP", metadata: ["service": "\(project.settings.tracing.serviceName)"])
            return export
        } catch {
            throw LaunchError(message: "tracing settings: \(error)")
        }
    }

    func runGroup(_ services: [any Service]) async throws {
        let settings = project.settings
        var groupConfiguration = ServiceGroupConfiguration(
            services: services.map {
                .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup,
                      failureTerminationBehavior: .gracefullyShutdownGroup)
            },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        // Requests still running after the drain timeout are cancelled, so SIGTERM ends the
        // process whatever the database is doing.
        groupConfiguration.maximumGracefulShutdownDuration = .milliseconds(settings.resilience.drainTimeoutMilliseconds)
        groupConfiguration.maximumCancellationDuration = .seconds(30)
        let group = ServiceGroup(configuration: groupConfiguration)
        do {
            try await group.run()
        } catch let error as IOError where error.errnoCode == EADDRINUSE || error.errnoCode == EACCES {
            throw LaunchError(message: "could not listen on \(configuration.host):\(configuration.port): \(String(cString: strerror(error.errnoCode))). Choose another --port (or STRATA_PORT).")
        }
    }

    /// Compares the YAML with the database as `strata check` does: a mismatch would fail
    /// requests at run time, so the server refuses to start on one unless told to go on.
    func checkSchema() async throws {
        guard schemaMismatches != .ignore else { return }
        let mismatches: [SchemaError]
        do {
            mismatches = try await SchemaCheck.reading(project, through: connections.server, logger: logger).mismatches()
        } catch let error as PSQLError {
            throw DatabaseFailure(error, connecting: connections.server)
        }
        guard !mismatches.isEmpty else { return }
        let list = mismatches.map { "  \($0)" }.joined(separator: "\n")
        switch schemaMismatches {
        case .refuse:
            throw LaunchError(message: "refusing to serve: the schema does not match the database (as `strata check` reports):\n\(list)\n"
                + "Fix the YAML or the database, or pass --skip-check to serve anyway.")
        case .warn, .ignore:
            logger.warning("the schema does not match the database; requests using these parts will fail:\n\(list)")
        }
    }

    /// Refuses to serve a database that lacks functions Strata's statements call: one migrated
    /// by an older Strata, whose every write would otherwise fail.
    func checkStrataFunctions() async throws {
        guard duties.serves else { return }
        let missing: [String]
        do {
            missing = try await connections.server.withConnection(logger: logger) { connection in
                try await MissingFunctions.among(StrataMigrations.functionsStatementsCall, on: connection, logger: logger)
            }
        } catch let error as PSQLError {
            throw DatabaseFailure(error, connecting: connections.server)
        }
        guard !missing.isEmpty else { return }
        throw LaunchError(message: "refusing to serve: the database lacks \(missing.joined(separator: ", ")), which this Strata's statements call; "
            + "run `strata migrate` with this version first")
    }

    /// Refuses to serve as a role that row-level security does not apply to.
    func checkLoginRole() async throws {
        let role: LoginRole
        do {
            role = try await connections.server.withConnection(logger: logger) { connection in
                try await LoginRole.current(on: connection, logger: logger)
            }
        } catch let error as PSQLError {
            throw DatabaseFailure(error, connecting: connections.server)
        }
        guard let reason = role.unsafeReason else { return }
        if allowUnsafeRole {
            logger.warning("serving despite an unsafe login role (--allow-unsafe-role): \(reason)")
        } else {
            throw LaunchError(message: "refusing to serve: \(reason)")
        }
    }
}

/// What a schema that does not match the database does to a server's start.
enum SchemaMismatchPolicy {
    /// `strata serve`: no start.
    case refuse
    /// `strata dev`, and `strata serve --skip-check`: each mismatch is a warning.
    case warn
    /// `strata worker`: not checked (it serves no API).
    case ignore
}

/// Why the server could not start, worded for the operator.
struct LaunchError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Ready unless the event reader's last look at the deliveries failed.
struct ReaderReadiness: ReadinessCheck {
    let reader: EventReader

    func check() async throws {
        guard reader.isWorking else { throw NotReady(reason: "event triggers") }
    }
}
