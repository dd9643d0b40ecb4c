import Database
import Events
import Foundation
import Logging
import PostgresNIO

/// The database a command works on: an external server from a URL, or the embedded cluster,
/// with the role to migrate as and the role to serve as.
struct DatabaseConnections {
    /// The server's own login role, created by the first migration.
    static let authenticator = "strata_authenticator"

    /// Connects as the owner of the schema (runs migrations).
    var owner: DatabaseEndpoint
    /// Connects as the role the server serves with.
    var server: DatabaseEndpoint
    /// Held while this process uses the embedded cluster.
    var lease: ClusterLease?

    static func open(url: String?, dataDirectory: String, loopbackPort: Int?, logger: Logger) async throws -> DatabaseConnections {
        if let url {
            let endpoint: DatabaseEndpoint
            do {
                endpoint = try DatabaseEndpoint(url: url)
            } catch let error as DatabaseConfigurationError {
                throw UsageError(message: error.description)
            }
            return DatabaseConnections(owner: endpoint, server: endpoint, lease: nil)
        }
        let cluster = try EmbeddedCluster(
            dataDirectory: dataDirectory,
            options: .init(loopbackPort: loopbackPort),
            logger: logger)
        let lease = try await cluster.start()
        return DatabaseConnections(
            owner: cluster.endpoint(user: EmbeddedCluster.superuser),
            server: cluster.endpoint(user: authenticator),
            lease: lease)
    }

    /// Gives up this process's use of the embedded cluster (stopping it if no one else uses it).
    func close(logger: Logger) async {
        guard let lease else { return }
        do {
            try await lease.cluster.release(lease)
        } catch {
            logger.error("could not stop the embedded PostgreSQL: \(error)")
        }
    }

    /// What `migrate` did.
    struct MigrationOutcome {
        var roles: RoleProvisioning.Report
        var reports: [Migrator.Report]
        var applied: [String] { reports.flatMap(\.applied) }
    }

    /// Whether `migrate` loads `<migrations>/demo`.
    enum DemoData {
        case none
        /// When the folder exists (`strata dev`).
        case ifPresent
        /// It must exist (`strata migrate --with-demo-data`).
        case required
    }

    /// Creates the login role and the YAML's roles that are missing, runs the schema migrations,
    /// then Strata's own, attaches the change-event triggers to the tables the YAML names (and
    /// detaches them from others), registers the YAML's event triggers as handlers (so their
    /// events queue up even before a worker runs), then loads the demo data when asked.
    func migrate(directory: String, demoData: DemoData, roles: [String], capturing tables: [CapturedTable], handlers: [any EventHandler],
                 logger: Logger) async throws -> MigrationOutcome {
        let schema = try MigrationSet.load(directory: directory)
        let demoDirectory = directory + "/demo"
        let demo: MigrationSet? = switch demoData {
        case .none: nil
        case .ifPresent: FileManager.default.fileExists(atPath: demoDirectory) ? try MigrationSet.load(directory: demoDirectory, versionPrefix: "demo/") : nil
        case .required: try MigrationSet.load(directory: demoDirectory, versionPrefix: "demo/")
        }
        do {
            return try await owner.withConnection(logger: logger) { connection in
                let provisioned = try await RoleProvisioning.ensure(login: Self.authenticator, roles: roles, on: connection, logger: logger)
                let migrator = Migrator(connection: connection, logger: logger)
                var reports = [try await migrator.apply(schema), try await migrator.apply(StrataMigrations.set)]
                _ = try await ChangeCapture.sync(tables, on: connection, logger: logger)
                _ = try await DeclaredHandlers.sync(handlers, on: connection, logger: logger)
                if let demo { reports.append(try await migrator.apply(demo)) }
                return MigrationOutcome(roles: provisioned, reports: reports)
            }
        } catch let error as PSQLError {
            throw DatabaseFailure(error, connecting: owner)
        }
    }
}
