import Logging
import PostgresNIO

/// Applies migrations in order, each inside its own transaction, and records them in
/// `strata.schema_migrations (version, name, checksum, applied_at)`.
///
/// Before anything runs, every recorded migration is checked against its file: a file changed
/// after it was applied, or removed, stops the whole run, so a database never ends up with a
/// schema its files no longer describe.
public struct Migrator: Sendable {
    /// Key of the advisory lock that keeps two migrating processes from interleaving.
    static let lockKey: Int64 = 0x5354_5241_5441 // "STRATA"

    let connection: PostgresConnection
    let logger: Logger

    public init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    public struct Report: Sendable, Equatable {
        public var applied: [String]
        public var alreadyApplied: Int
    }

    @discardableResult
    public func apply(_ set: MigrationSet) async throws -> Report {
        try await execute("CREATE SCHEMA IF NOT EXISTS strata")
        try await execute("""
            CREATE TABLE IF NOT EXISTS strata.schema_migrations (
                version text PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        try await connection.query("SELECT pg_advisory_lock(\(Self.lockKey))", logger: logger)
        do {
            let report = try await applyLocked(set)
            try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
            return report
        } catch {
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
            throw error
        }
    }

    private func applyLocked(_ set: MigrationSet) async throws -> Report {
        let recorded = try await recordedChecksums()
        let pending = try Self.pending(set, recorded: recorded)
        for migration in pending {
            try await run(migration)
            logger.info("applied migration", metadata: ["file": "\(migration.displayPath)"])
        }
        return Report(applied: pending.map(\.displayPath), alreadyApplied: set.migrations.count - pending.count)
    }

    /// The migrations still to run, after checking the recorded ones against their files.
    static func pending(_ set: MigrationSet, recorded: [String: String]) throws -> [Migration] {
        var pending: [Migration] = []
        for migration in set.migrations {
            if let checksum = recorded[migration.version] {
                guard checksum == migration.checksum else {
                    throw MigrationError(file: migration.displayPath, message:
                        "was changed after it was applied (recorded checksum \(checksum.prefix(12))…, file now \(migration.checksum.prefix(12))…). Applied migrations must not be edited: restore the file and add a new migration for the change. Nothing was applied.")
                }
            } else {
                if let later = set.migrations.last(where: { recorded[$0.version] != nil }), later.number > migration.number {
                    throw MigrationError(file: migration.displayPath, message:
                        "is older than \(later.displayPath), which is already applied; give it a version after \(later.version). Nothing was applied.")
                }
                pending.append(migration)
            }
        }
        let known = Set(set.migrations.map(\.version))
        if let missing = recorded.keys.filter(set.owns).sorted().first(where: { !known.contains($0) }) {
            throw MigrationError(file: "migration \(missing)", message:
                "is recorded as applied but its file is missing. Restore it; nothing was applied.")
        }
        return pending
    }

    private func recordedChecksums() async throws -> [String: String] {
        var recorded: [String: String] = [:]
        let rows = try await connection.query("SELECT version, checksum FROM strata.schema_migrations", logger: logger)
        for try await (version, checksum) in rows.decode((String, String).self) {
            recorded[version] = checksum
        }
        return recorded
    }

    private func run(_ migration: Migration) async throws {
        try await execute("BEGIN")
        do {
            for statement in SQLScript(migration.sql).statements {
                do {
                    try await connection.query(PostgresQuery(unsafeSQL: statement.text), logger: logger)
                } catch let error as PSQLError {
                    throw Self.describe(error, in: migration, statement: statement)
                }
            }
            try await connection.query("""
                INSERT INTO strata.schema_migrations (version, name, checksum)
                VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                """, logger: logger)
            try await execute("COMMIT")
        } catch {
            _ = try? await execute("ROLLBACK")
            throw error
        }
    }

    /// Turns a server error into one that names the file, line and column, and says nothing was kept.
    static func describe(_ error: PSQLError, in migration: Migration, statement: SQLScript.Statement) -> MigrationError {
        let info = error.serverInfo
        let position = info?[.position].flatMap { Int($0) }
        let location = position.map { statement.fileLocation(ofPosition: $0) } ?? (line: statement.line, column: statement.column)
        var message = info?[.message] ?? "\(error.code)"
        if let detail = info?[.detail] { message += " (\(detail))" }
        if let hint = info?[.hint] { message += " Hint: \(hint)" }
        if let context = info?[.locationContext], position == nil { message += " [\(context)]" }
        message += ". The migration was rolled back; nothing from this file was applied."
        return MigrationError(file: migration.displayPath, line: location.line, column: location.column, message: message)
    }

    private func execute(_ sql: String) async throws {
        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    }
}
