import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// Where and as whom to connect to PostgreSQL, from a `postgres://` URL or the embedded cluster.
public struct DatabaseEndpoint: Sendable, Equatable {
    public enum Address: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case unixSocket(path: String)
    }

    /// libpq's `sslmode` values that Strata honours.
    public enum TLSMode: String, Sendable, Equatable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    public var address: Address
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    public init(address: Address, username: String, password: String?, database: String, tls: TLSMode) {
        self.address = address
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
    }

    /// Parses `postgres://user:password@host:port/database?sslmode=…`; `?host=/dir` (libpq style)
    /// selects the Unix socket `/dir/.s.PGSQL.<port>`.
    public init(url text: String) throws {
        guard let components = URLComponents(string: text),
              let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme) else {
            throw DatabaseConfigurationError("database URL must look like postgres://user:password@host:5432/database, got '\(Self.redacted(text))'")
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let port = components.port ?? 5432
        let host = query["host"] ?? components.host.map { $0.removingPercentEncoding ?? $0 } ?? ""
        if host.hasPrefix("/") {
            address = .unixSocket(path: "\(host)/.s.PGSQL.\(port)")
        } else {
            address = .tcp(host: host.isEmpty ? "localhost" : host, port: port)
        }
        username = components.percentEncodedUser?.removingPercentEncoding
            ?? query["user"] ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        password = components.percentEncodedPassword?.removingPercentEncoding ?? query["password"]
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? username : (path.removingPercentEncoding ?? path)
        let mode = query["sslmode"] ?? (host.hasPrefix("/") ? "disable" : "prefer")
        switch mode {
        case "disable", "allow": tls = .disable
        case "prefer": tls = .prefer
        case "require", "verify-ca": tls = .require
        case "verify-full": tls = .verifyFull
        default:
            throw DatabaseConfigurationError("unknown sslmode '\(mode)' in the database URL (expected disable, prefer, require or verify-full)")
        }
    }

    /// The URL with its password hidden, for logs and error messages.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "****"
        return components.string ?? url
    }

    /// A description for logs: never includes the password.
    public var displayName: String {
        switch address {
        case .tcp(let host, let port): "\(username)@\(host):\(port)/\(database)"
        case .unixSocket(let path): "\(username)@\(path) /\(database)"
        }
    }

    public var clientConfiguration: PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        switch address {
        case .tcp(let host, let port):
            configuration = .init(host: host, port: port, username: username, password: password,
                                  database: database, tls: clientTLS)
        case .unixSocket(let path):
            configuration = .init(unixSocketPath: path, username: username, password: password, database: database)
        }
        return configuration
    }

    public func connectionConfiguration() throws -> PostgresConnection.Configuration {
        switch address {
        case .tcp(let host, let port):
            .init(host: host, port: port, username: username, password: password, database: database,
                  tls: try connectionTLS())
        case .unixSocket(let path):
            .init(unixSocketPath: path, username: username, password: password, database: database)
        }
    }

    /// Opens one connection, runs `body`, and closes it whatever happens.
    public func withConnection<T: Sendable>(
        logger: Logger,
        _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let connection = try await PostgresConnection.connect(
            configuration: try connectionConfiguration(), id: 1, logger: logger)
        do {
            let value = try await body(connection)
            try? await connection.close()
            return value
        } catch {
            try? await connection.close()
            throw error
        }
    }

    var tlsConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        // libpq's prefer and require encrypt without checking the certificate.
        if tls != .verifyFull { configuration.certificateVerification = .none }
        return configuration
    }

    private var clientTLS: PostgresClient.Configuration.TLS {
        switch tls {
        case .disable: .disable
        case .prefer: .prefer(tlsConfiguration)
        case .require, .verifyFull: .require(tlsConfiguration)
        }
    }

    private func connectionTLS() throws -> PostgresConnection.Configuration.TLS {
        switch tls {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: tlsConfiguration))
        case .require, .verifyFull: .require(try NIOSSLContext(configuration: tlsConfiguration))
        }
    }
}

/// A database setting that cannot be used as given.
public struct DatabaseConfigurationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
