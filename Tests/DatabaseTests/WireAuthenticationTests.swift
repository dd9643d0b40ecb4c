@testable import Database
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import SQL
import Testing
import TestSupport

/// A cluster of this suite's own, listening on loopback, with a role for each way PostgreSQL asks
/// for a password and a role it lets in over TLS only.
actor AuthenticationCluster {
    static let shared = AuthenticationCluster()
    private var starting: Task<DatabaseEndpoint, any Error>?

    /// Where to reach it, as the superuser over loopback (no role can log in as it there).
    func endpoint() async throws -> DatabaseEndpoint {
        if let starting { return try await starting.value }
        let task = Task { try await Self.start() }
        starting = task
        return try await task.value
    }

    static let roles: [(name: String, password: String, encryption: String)] = [
        ("scram_user", "s,cram=sécret", "scram-sha-256"),
        ("md5_user", "md5 secret", "md5"),
        ("plain_user", "plain secret", "scram-sha-256"),
        ("tls_user", "tls secret", "scram-sha-256"),
    ]

    private static func start() async throws -> DatabaseEndpoint {
        var logger = Logger(label: "strata.wire-test")
        logger.logLevel = .warning
        let port = try await unusedPort()
        let cluster = try EmbeddedCluster(dataDirectory: try TestScratch.directory("wire-auth"),
                                          options: .init(loopbackPort: port, durable: false), logger: logger)
        // Stopped when the test process exits, with everything under its scratch folder.
        _ = try await cluster.start()
        let directory = cluster.clusterDirectory
        try makeCertificate(in: directory, owner: cluster.user)
        let hba = directory + "/pg_hba.conf"
        let rules = """
            hostssl all tls_user 127.0.0.1/32 scram-sha-256
            host all tls_user 127.0.0.1/32 reject
            host all md5_user 127.0.0.1/32 md5
            host all plain_user 127.0.0.1/32 password

            """
        try (rules + String(contentsOfFile: hba, encoding: .utf8)).write(toFile: hba, atomically: false, encoding: .utf8)
        var statements = roles.flatMap { role in
            ["SET password_encryption = '\(role.encryption)'",
             "CREATE ROLE \(role.name) LOGIN PASSWORD '\(role.password)'"]
        }
        statements += ["ALTER SYSTEM SET ssl = on", "ALTER SYSTEM SET ssl_cert_file = 'server.crt'",
                       "ALTER SYSTEM SET ssl_key_file = 'server.key'", "SELECT pg_reload_conf()"]
        let all = statements, quiet = logger
        try await cluster.withSuperuserConnection { connection in
            for statement in all {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: quiet)
            }
        }
        // The reload is asynchronous: wait until TLS is offered.
        try await Task.sleep(for: .milliseconds(500))
        return DatabaseEndpoint(address: .tcp(host: "127.0.0.1", port: port), username: EmbeddedCluster.superuser,
                                password: nil, database: cluster.options.databaseName, tls: .disable)
    }

    private static func unusedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }

    /// A self-signed certificate for `localhost`, readable by the cluster's owner only.
    private static func makeCertificate(in directory: String, owner: ClusterUser) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                             "-keyout", directory + "/server.key", "-out", directory + "/server.crt"]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw EmbeddedClusterError("openssl could not make a test certificate") }
        for file in ["server.key", "server.crt"] {
            chmod(directory + "/" + file, 0o600)
            try owner.takeOwnership(of: directory + "/" + file)
        }
    }
}

@Suite("Database connections: authentication and TLS")
struct WireAuthenticationTests {
    static let whoAmI = PreparedSQL("SELECT current_user || ' ' || coalesce((SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()), '?')")

    func connect(_ role: String, password: String?, tls: DatabaseEndpoint.TLSMode = .disable) async throws -> WireConnection {
        var endpoint = try await AuthenticationCluster.shared.endpoint()
        endpoint.username = role
        endpoint.password = password
        endpoint.tls = tls
        return try await WireConnection.connect(to: endpoint, on: MultiThreadedEventLoopGroup.singleton.any(),
                                                parameters: [("application_name", "strata-test")], timeout: .seconds(10))
    }

    /// Who the session runs as, and whether it is encrypted.
    func session(_ role: String, password: String?, tls: DatabaseEndpoint.TLSMode = .disable) async throws -> String? {
        let connection = try await connect(role, password: password, tls: tls)
        defer { connection.closeSoon() }
        return try await connection.firstValue(of: Self.whoAmI, binds: []).map { String(buffer: $0) }
    }

    @Test("each password method PostgreSQL asks for logs in: SCRAM-SHA-256, md5 and cleartext",
          arguments: AuthenticationCluster.roles.filter { $0.name != "tls_user" })
    func passwordMethods(_ role: (name: String, password: String, encryption: String)) async throws {
        #expect(try await session(role.name, password: role.password) == "\(role.name) false")
    }

    @Test("a wrong or missing password is refused with the server's reason, and nothing is left open",
          arguments: AuthenticationCluster.roles.filter { $0.name != "tls_user" })
    func wrongPassword(_ role: (name: String, password: String, encryption: String)) async throws {
        await #expect {
            _ = try await connect(role.name, password: role.password + "x")
        } throws: { error in
            (error as? DatabaseServerError)?.sqlState == "28P01"
        }
        await #expect(throws: AuthenticationError.self) { _ = try await connect(role.name, password: nil) }
    }

    @Test("sslmode require and prefer encrypt the session; disable does not, and a TLS-only role is then refused")
    func tls() async throws {
        let role = AuthenticationCluster.roles[3]
        #expect(try await session(role.name, password: role.password, tls: .require) == "tls_user true")
        #expect(try await session(role.name, password: role.password, tls: .prefer) == "tls_user true")
        #expect(try await session("scram_user", password: AuthenticationCluster.roles[0].password, tls: .prefer) == "scram_user true")
        await #expect {
            _ = try await connect(role.name, password: role.password, tls: .disable)
        } throws: { error in
            (error as? DatabaseServerError)?.sqlState == "28000"
        }
    }

    @Test("verify-full refuses a certificate no trusted authority signed")
    func untrustedCertificate() async throws {
        let role = AuthenticationCluster.roles[3]
        await #expect(throws: (any Error).self) { _ = try await connect(role.name, password: role.password, tls: .verifyFull) }
    }

    @Test("a port where nothing listens fails at once as a connection failure")
    func nothingListening() async throws {
        let endpoint = DatabaseEndpoint(address: .tcp(host: "127.0.0.1", port: 1), username: "x", password: nil, database: "x", tls: .disable)
        await #expect {
            _ = try await WireConnection.connect(to: endpoint, on: MultiThreadedEventLoopGroup.singleton.any(), parameters: [],
                                                 timeout: .seconds(5))
        } throws: { error in
            ConnectionFault.isConnectionLevel(error)
        }
    }
}
