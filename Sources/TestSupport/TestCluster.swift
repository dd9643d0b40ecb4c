import Database
import Events
import SchemaModel
import Foundation
import Logging

/// One throwaway PostgreSQL cluster per test process, started on first use and stopped at exit.
///
/// It runs in a temporary directory with durability off, as the same root-safe embedded cluster
/// `strata` uses. The project's migrations are applied once to a template database; each suite
/// gets a fresh database copied from it.
public actor TestCluster {
    public static let shared = TestCluster()

    static let templateName = "strata_template"

    /// The one start of the cluster, shared by every suite that asks while it is under way.
    private var starting: Task<EmbeddedCluster, any Error>?
    private var databaseCount = 0
    private let logger: Logger = {
        var logger = Logger(label: "strata.test-cluster")
        logger.logLevel = .warning
        return logger
    }()

    /// The running cluster, started (and its template migrated) on first use.
    public func running() async throws -> EmbeddedCluster {
        if let starting { return try await starting.value }
        let logger = self.logger
        let task = Task { try await Self.start(logger: logger) }
        starting = task
        return try await task.value
    }

    private static func start(logger: Logger) async throws -> EmbeddedCluster {
        let cluster = try EmbeddedCluster(
            dataDirectory: TestScratch.root + "/cluster",
            // The suites run in parallel, each server with its pool, change feed and workers.
            options: .init(durable: false, databaseName: templateName, maxConnections: 400),
            logger: logger)
        _ = try await cluster.start()
        try await migrate(cluster, logger: logger)
        return cluster
    }

    /// A cluster of a test's own, migrated, for tests that stop and start PostgreSQL (which
    /// the shared cluster's other users could not survive). Its database is `strata`; the test
    /// releases the lease, which stops it.
    public static func standalone(_ name: String) async throws -> (cluster: EmbeddedCluster, lease: ClusterLease, database: TestDatabase) {
        var logger = Logger(label: "strata.test-cluster")
        logger.logLevel = .warning
        let cluster = try EmbeddedCluster(dataDirectory: try TestScratch.directory(name), options: .init(durable: false), logger: logger)
        let lease = try await cluster.start()
        try await migrate(cluster, logger: logger)
        return (cluster, lease, TestDatabase(name: cluster.options.databaseName, cluster: cluster))
    }

    private static func migrate(_ cluster: EmbeddedCluster, logger: Logger) async throws {
        let migrations = try MigrationSet.load(directory: ProjectFiles.root + "/migrations")
        let project = try SchemaProject.load(directory: ProjectFiles.root + "/schema")
        _ = try await cluster.withSuperuserConnection { connection in
            let migrator = Migrator(connection: connection, logger: logger)
            try await migrator.apply(migrations)
            try await migrator.apply(StrataMigrations.set)
            return try await ChangeCapture.sync(CapturedTable.all(in: project), on: connection, logger: logger)
        }
    }

    /// A new database holding the migrated schema (or nothing, when `migrated` is false).
    public func makeDatabase(migrated: Bool = true) async throws -> TestDatabase {
        let cluster = try await running()
        databaseCount += 1
        let name = "test_\(databaseCount)"
        let template = migrated ? Self.templateName : "template0"
        try await cluster.createDatabase(name, template: template)
        return TestDatabase(name: name, cluster: cluster)
    }
}
