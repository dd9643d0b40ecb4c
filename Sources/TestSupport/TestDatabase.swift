import Database
import Logging
import PostgresNIO

/// A database of its own for one test suite, on the process's test cluster.
public struct TestDatabase: Sendable {
    public let name: String
    public let cluster: EmbeddedCluster

    public init(name: String, cluster: EmbeddedCluster) {
        self.name = name
        self.cluster = cluster
    }

    public func endpoint(user: String = EmbeddedCluster.superuser) -> DatabaseEndpoint {
        cluster.endpoint(user: user, database: name)
    }

    /// A `postgres://` URL reaching this database through the cluster's socket, for `strata` runs.
    public func url(user: String = EmbeddedCluster.superuser) -> String {
        let socketDirectory = cluster.clusterDirectory
        return "postgres:///\(name)?host=\(socketDirectory)&user=\(user)"
    }

    /// Runs `body` on a fresh connection as `user`.
    public func withConnection<T: Sendable>(
        as user: String = EmbeddedCluster.superuser,
        _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await endpoint(user: user).withConnection(logger: Logger(label: "strata.test"), body)
    }

    /// Loads the demo data (`migrations/demo/*.sql`, statement by statement). The text is the
    /// project's own files, as `strata migrate --with-demo-data` runs them; no value from a test
    /// or a client is part of it.
    public func loadDemoData() async throws {
        let demo = try MigrationSet.load(directory: ProjectFiles.root + "/migrations/demo", versionPrefix: "demo/")
        try await withConnection { connection in
            for migration in demo.migrations {
                for statement in SQLScript(migration.sql).statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement.text), logger: Logger(label: "strata.test"))
                }
            }
        }
    }

    /// Runs each statement in turn as the superuser: a test's own setup, written in the test's
    /// source. Raw SQL, so no value from a request may ever be passed here.
    public func execute(_ statements: [String]) async throws {
        for statement in statements { _ = try await rows(PostgresQuery(unsafeSQL: statement)) }
    }

    /// The rows of a query as text, for assertions.
    public func rows(_ query: PostgresQuery, as user: String = EmbeddedCluster.superuser) async throws -> [[String?]] {
        try await withConnection(as: user) { connection in
            let sequence = try await connection.query(query, logger: Logger(label: "strata.test"))
            var result: [[String?]] = []
            for try await row in sequence {
                result.append(row.map { cell in cell.bytes.map { String(buffer: $0) } })
            }
            return result
        }
    }
}
