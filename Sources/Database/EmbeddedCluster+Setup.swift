import Foundation
import Logging
import PostgresNIO
import SQL

extension EmbeddedCluster {
    /// Creates the cluster directory, owned by the cluster user, and runs `initdb` in it.
    func initialize() async throws {
        try checkSocketPathLength()
        let manager = FileManager.default
        if manager.fileExists(atPath: clusterDirectory) {
            let contents = (try? manager.contentsOfDirectory(atPath: clusterDirectory)) ?? []
            guard contents.isEmpty else {
                throw EmbeddedClusterError(
                    "\(clusterDirectory) exists but holds no PostgreSQL cluster (no PG_VERSION); move it away or choose another --data-dir")
            }
        } else {
            try manager.createDirectory(atPath: clusterDirectory, withIntermediateDirectories: true,
                                        attributes: [.posixPermissions: 0o700])
        }
        try user.takeOwnership(of: clusterDirectory)
        try await checkReachable()

        logger.info("initializing the embedded PostgreSQL", metadata: ["directory": "\(clusterDirectory)"])
        var arguments = [
            "-D", clusterDirectory, "-U", Self.superuser, "-E", "UTF8", "--locale=C",
            // Local socket connections are trusted: the socket sits in a directory only the
            // cluster's owner (and root) can enter. TCP connections need a password.
            "--auth-local=trust", "--auth-host=scram-sha-256",
        ]
        if !options.durable { arguments.append("--no-sync") }
        try await ShellCommand(executable: binaries.initdb, arguments: arguments, user: user)
            .runChecked("initdb")
        let config = clusterDirectory + "/postgresql.conf"
        let include = "\n# Settings Strata writes before every start.\ninclude_if_exists = 'strata.conf'\n"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: config))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(include.utf8))
        try handle.close()
    }

    /// Writes `strata.conf`: where to listen, how many connections, and durability for throwaway clusters.
    func writeSettings() throws {
        let port = options.loopbackPort ?? Self.defaultSocketPort
        var lines = [
            "listen_addresses = '\(options.loopbackPort == nil ? "" : "127.0.0.1")'",
            "port = \(port)",
            "unix_socket_directories = '\(clusterDirectory.replacingOccurrences(of: "'", with: "''"))'",
        ]
        if !options.durable {
            lines += ["fsync = off", "synchronous_commit = off", "full_page_writes = off"]
        }
        if let connections = options.maxConnections {
            lines.append("max_connections = \(connections)")
        }
        let path = clusterDirectory + "/strata.conf"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        try user.takeOwnership(of: path)
    }

    /// Starts the postmaster and waits until it accepts connections.
    func launch() async throws {
        try checkSocketPathLength()
        let result = try await pgCtl(["start", "-D", clusterDirectory, "-l", logPath, "-w", "-t", "60", "-s"]).run()
        guard result.succeeded else {
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            let tail = log.split(separator: "\n").suffix(8).joined(separator: "\n")
            throw EmbeddedClusterError(
                "the embedded PostgreSQL in \(clusterDirectory) did not start: \(result.output.trimmingCharacters(in: .whitespacesAndNewlines))\n\(tail)")
        }
        logger.info("started the embedded PostgreSQL", metadata: ["socket": "\(socketPath())"])
    }

    /// Creates Strata's database on first start.
    func ensureDatabase() async throws {
        let name = options.databaseName
        let logger = self.logger
        let exists = try await withSuperuserConnection(database: "postgres") { connection in
            let rows = try await connection.query("SELECT 1 FROM pg_database WHERE datname = \(name)", logger: logger)
            for try await _ in rows { return true }
            return false
        }
        if !exists { try await createDatabase(name) }
    }

    /// Creates a database, optionally as a copy of `template`.
    public func createDatabase(_ name: String, template: String? = nil) async throws {
        // CREATE DATABASE takes no parameters; the names are rendered as quoted identifiers.
        let copy = template.map { " TEMPLATE \(SQLIdentifier($0).rendered)" } ?? ""
        let statement = "CREATE DATABASE \(SQLIdentifier(name).rendered)\(copy)"
        let logger = self.logger
        do {
            try await withSuperuserConnection(database: "postgres") { connection in
                _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
        } catch let error as PSQLError {
            // PostgresNIO's description of a server error hides the server's words.
            let said = error.serverInfo?[.message].map { $0 + (error.serverInfo?[.detail].map { ": \($0)" } ?? "") } ?? String(reflecting: error)
            throw EmbeddedClusterError("could not create the database \(name)\(template.map { " from \($0)" } ?? ""): \(said)")
        }
    }

    /// Runs `body` on a connection as the cluster's superuser.
    public func withSuperuserConnection<T: Sendable>(
        database: String? = nil,
        _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let endpoint = endpoint(user: Self.superuser, database: database)
        return try await endpoint.withConnection(logger: logger, body)
    }

    /// PostgreSQL reports only "Permission denied" from deep inside initdb; say what to do instead.
    func checkReachable() async throws {
        guard user != .current else { return }
        let probe = try await ShellCommand(executable: "/usr/bin/test", arguments: ["-w", clusterDirectory], user: user).run()
        guard probe.succeeded else {
            throw EmbeddedClusterError(
                "the embedded PostgreSQL runs as the unprivileged OS user 'postgres', which cannot reach \(clusterDirectory) (a parent directory is private). Choose a --data-dir it can reach, such as /var/lib/strata, or grant search permission on the parent directories.")
        }
    }

    /// Unix socket paths are limited to 107 bytes on Linux.
    func checkSocketPathLength() throws {
        let path = "\(clusterDirectory)/.s.PGSQL.\(options.loopbackPort ?? Self.defaultSocketPort)"
        guard path.utf8.count <= 107 else {
            throw EmbeddedClusterError(
                "the data directory path is too long for a Unix socket (\(path.utf8.count) bytes, at most 107): choose a shorter --data-dir")
        }
    }
}
