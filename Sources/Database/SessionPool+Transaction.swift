import Logging
import NIOCore
import SQL
import Synchronization

/// Several statements of one request in one transaction: what a mutation operation with several
/// root fields needs, each field seeing the writes of the ones before.
extension SessionPool {
    /// Runs `body` in one transaction on one connection under `settings`: each statement it runs
    /// through the `SessionTransaction` sees those settings and the earlier statements' writes.
    /// If `body` throws (or the task or `cancellation` is cancelled) everything is rolled back;
    /// otherwise it commits.
    public func transaction<T: Sendable>(settings: ConnectionSettings, cancellation: QueryCancellation? = nil,
                                         _ body: (SessionTransaction) async throws -> T) async throws -> T {
        guard configuration.roles.contains(settings.role) else { throw SessionPoolError.roleNotAllowed(settings.role) }
        let scope = configuration.scope
        let anyConnection = ConnectionSettings(role: "", tenantID: nil, userID: nil, claims: "")
        let lease = try await lease(scope == .session ? settings : anyConnection, cancellation: cancellation)
        // What the connection's session holds, as far as is known.
        var current: ConnectionSettings? = scope == .session ? (lease.matches ? settings : nil) : anyConnection
        let transaction = SessionTransaction(pool: self, lease: lease, cancellation: cancellation)
        let settingsBinds = zip(ConnectionSettings.names, settings.values).flatMap { [SQLValue.text($0), .text($1)] }
        do {
            if scope == .session, !lease.matches {
                try await setSessionSettings(settings, on: lease, cancellation: cancellation)
                current = settings
            }
            try await cancellable(lease, cancellation) { try await lease.connection.simpleQuery("BEGIN") }
            if scope == .transaction {
                count { $0.settingsSwitches += 1 }
                _ = try await transaction.run(transactionSettingsStatement, binds: settingsBinds)
            }
            let result = try await body(transaction)
            try await cancellable(lease, cancellation) { try await lease.connection.simpleQuery("COMMIT") }
            await release(lease, settings: current)
            return result
        } catch {
            // A closed connection has nothing to roll back: the server did.
            if !lease.connection.isClosed {
                do {
                    try await lease.connection.simpleQuery("ROLLBACK")
                } catch {
                    await lease.connection.close()
                }
            }
            await release(lease, settings: current)
            throw error
        }
    }
}

/// Statements on one leased connection: in the open transaction of `SessionPool.transaction`,
/// or each committing on its own in `SessionPool.withConnection`.
public final class SessionTransaction: Sendable {
    let pool: SessionPool
    let lease: SessionPool.Lease
    let cancellation: QueryCancellation?

    init(pool: SessionPool, lease: SessionPool.Lease, cancellation: QueryCancellation?) {
        self.pool = pool
        self.lease = lease
        self.cancellation = cancellation
    }

    /// Runs `statement` and returns the first column of its first row as PostgreSQL sent it.
    public func query(_ statement: PreparedSQL, binds: [SQLValue]) async throws -> ByteBuffer? {
        try await run(statement, binds: binds)
    }

    /// Runs `statements` in one round trip as one implicit transaction: all commit after the
    /// last, or none (`WireConnection.firstValues`). Each statement's first value, in order.
    /// Outside a transaction only: on `SessionPool.withConnection`'s connection.
    public func pipeline(_ statements: [(statement: PreparedSQL, binds: [SQLValue])]) async throws -> [ByteBuffer?] {
        let lease = self.lease
        return try await pool.cancellable(lease, cancellation) {
            try await lease.connection.firstValues(of: statements)
        }
    }

    func run(_ statement: PreparedSQL, binds: [SQLValue]) async throws -> ByteBuffer? {
        let lease = self.lease
        return try await pool.cancellable(lease, cancellation) {
            try await lease.connection.firstValue(of: statement, binds: binds)
        }
    }
}
