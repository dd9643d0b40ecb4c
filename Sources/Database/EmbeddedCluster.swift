import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// A private PostgreSQL cluster kept under Strata's data directory, for when no database URL is configured.
///
/// Layout under the data directory: `pg/` is the cluster (and its Unix socket), `pg.lock` serializes
/// starts and stops across processes, and `pg-users/` holds one lease per process using the cluster.
/// The first process starts the cluster; later ones reuse it; the last one to leave stops it.
public struct EmbeddedCluster: Sendable {
    public struct Options: Sendable {
        /// Also listen on `127.0.0.1:<port>`; the cluster is reachable through its socket only otherwise.
        public var loopbackPort: Int?
        /// Trades crash safety for speed (throwaway test clusters).
        public var durable: Bool
        /// Name of the database Strata uses, created on first start.
        public var databaseName: String
        /// PostgreSQL's `max_connections`; nil keeps its default (100).
        public var maxConnections: Int?

        public init(loopbackPort: Int? = nil, durable: Bool = true, databaseName: String = "strata", maxConnections: Int? = nil) {
            self.loopbackPort = loopbackPort
            self.durable = durable
            self.databaseName = databaseName
            self.maxConnections = maxConnections
        }
    }

    /// The port number in the socket's file name when no loopback port is asked for.
    static let defaultSocketPort = 5432
    /// The cluster's bootstrap superuser, reachable only through the socket.
    public static let superuser = "postgres"

    public let dataDirectory: String
    public let options: Options
    public let binaries: PostgresBinaries
    public let user: ClusterUser
    let logger: Logger

    public init(dataDirectory: String, options: Options = Options(), logger: Logger) throws {
        self.dataDirectory = URL(fileURLWithPath: dataDirectory).standardizedFileURL.path
        self.options = options
        self.binaries = try PostgresBinaries.locate()
        self.user = try ClusterUser.forCurrentProcess()
        self.logger = logger
    }

    public var clusterDirectory: String { dataDirectory + "/pg" }
    var leaseDirectory: String { dataDirectory + "/pg-users" }
    var lockPath: String { dataDirectory + "/pg.lock" }
    var logPath: String { clusterDirectory + "/server.log" }

    /// The socket the running cluster listens on (its port may differ from ours if another process started it).
    public func socketPath() -> String {
        let port = runningPort() ?? options.loopbackPort ?? Self.defaultSocketPort
        return "\(clusterDirectory)/.s.PGSQL.\(port)"
    }

    /// Connection settings for `user` on the cluster's socket.
    public func endpoint(user: String, database: String? = nil) -> DatabaseEndpoint {
        DatabaseEndpoint(
            address: .unixSocket(path: socketPath()),
            username: user, password: nil,
            database: database ?? options.databaseName, tls: .disable)
    }

    /// Starts the cluster unless it already runs, and registers this process as one of its users.
    public func start() async throws -> ClusterLease {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: leaseDirectory, withIntermediateDirectories: true)
        let lock = try await FileLock.acquire(lockPath)
        defer { lock.release() }

        if !isInitialized {
            try await initialize()
        }
        if try await isRunning() {
            logger.info("reusing the running embedded PostgreSQL", metadata: ["directory": "\(clusterDirectory)"])
        } else {
            try writeSettings()
            try await launch()
        }
        try await ensureDatabase()
        return try ClusterLease.register(in: leaseDirectory, cluster: self)
    }

    /// Drops this process's lease, and stops the cluster if no live process holds one.
    public func release(_ lease: ClusterLease) async throws {
        let lock = try await FileLock.acquire(lockPath)
        defer { lock.release() }
        lease.remove()
        guard ClusterLease.liveLeases(in: leaseDirectory).isEmpty else {
            logger.info("leaving the embedded PostgreSQL running for the other Strata processes using it")
            return
        }
        if try await isRunning() {
            try await pgCtl(["stop", "-D", clusterDirectory, "-m", "fast", "-w", "-t", "60"])
                .runChecked("stopping the embedded PostgreSQL")
            logger.info("stopped the embedded PostgreSQL")
        }
    }

    /// Stops the cluster at once, whoever uses it, blocking the calling thread: for throwaway
    /// test clusters at process exit.
    public func stopImmediately() {
        _ = pgCtl(["stop", "-D", clusterDirectory, "-m", "immediate", "-w"]).runBlocking()
    }

    public var isInitialized: Bool {
        FileManager.default.fileExists(atPath: clusterDirectory + "/PG_VERSION")
    }

    public func isRunning() async throws -> Bool {
        guard isInitialized else { return false }
        // pg_ctl status: 0 running, 3 not running, 4 no accessible data directory.
        let result = try await pgCtl(["status", "-D", clusterDirectory]).run()
        return result.status == 0
    }

    func pgCtl(_ arguments: [String]) -> ShellCommand {
        ShellCommand(executable: binaries.pgCtl, arguments: arguments, user: user)
    }

    /// The port of the running postmaster, from the fourth line of `postmaster.pid`.
    func runningPort() -> Int? {
        guard let text = try? String(contentsOfFile: clusterDirectory + "/postmaster.pid", encoding: .utf8) else {
            return nil
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.count > 3 ? Int(lines[3].trimmingCharacters(in: .whitespaces)) : nil
    }
}
