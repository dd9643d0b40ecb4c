import Foundation
import Logging
import NIOCore
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

    /// Statements that give the connection back the state of a new session (settings, role,
    /// temporary tables, prepared plans), so no migration sees what an earlier one set — as
    /// `DISCARD ALL` would, but keeping the advisory lock the run holds.
    static let freshSession = ["SET SESSION AUTHORIZATION DEFAULT", "RESET ALL", "DISCARD TEMP", "DISCARD SEQUENCES",
                               "DEALLOCATE ALL", "UNLISTEN *"]

    private func run(_ migration: Migration) async throws {
        for statement in Self.freshSession { try await execute(statement) }
        try await execute("BEGIN")
        do {
            for statement in SQLScript(migration.sql).statements {
                do {
                    if let data = statement.copyData {
                        try await copy(data, statement: statement, in: migration)
                    } else {
                        try await connection.query(PostgresQuery(unsafeSQL: statement.text), logger: logger)
                    }
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

    /// Sends the rows of a `COPY … FROM stdin` statement, as psql would, in pieces of 64 KiB.
    private func copy(_ data: String, statement: SQLScript.Statement, in migration: Migration) async throws {
        let copy: CopyStatement
        do {
            copy = try CopyStatement(statement.text)
        } catch {
            throw MigrationError(file: migration.displayPath, line: statement.line, column: statement.column,
                                 message: "this COPY \(error.reason). Nothing from this file was applied.")
        }
        // PostgresNIO writes `COPY "<table>" ("<column>", …)`: each part's quotes doubled, and
        // the schema and table joined inside that one pair of quotes.
        let quoted = { (name: String) in name.replacingOccurrences(of: "\"", with: "\"\"") }
        let table = copy.table.map(quoted).joined(separator: "\".\"")
        let bytes = Array(data.utf8)
        try await connection.copyFrom(table: table, columns: copy.columns.map(quoted), logger: logger) { writer in
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + 64 * 1_024)
                try await writer.write(ByteBuffer(bytes: bytes[start..<end]))
                start = end
            }
        }
    }

    /// Turns a server error into one that names the file, line and column, and says nothing was kept.
    static func describe(_ error: PSQLError, in migration: Migration, statement: SQLScript.Statement) -> MigrationError {
        let info = error.serverInfo
        let position = info?[.position].flatMap { Int($0) }
        var location = position.map { statement.fileLocation(ofPosition: $0) } ?? (line: statement.line, column: statement.column)
        // A bad row of COPY data: PostgreSQL says "COPY <table>, line N…", counted from the first row.
        if let dataLine = statement.copyDataLine, let row = info?[.locationContext].flatMap(Self.copyRow) {
            location = (line: dataLine + row - 1, column: 1)
        }
        var message = info?[.message] ?? "\(error.code)"
        if let detail = info?[.detail] { message += " (\(detail))" }
        if let hint = info?[.hint] { message += " Hint: \(hint)" }
        if let context = info?[.locationContext], position == nil { message += " [\(context)]" }
        message += ". The migration was rolled back; nothing from this file was applied."
        return MigrationError(file: migration.displayPath, line: location.line, column: location.column, message: message)
    }

    /// The row number in PostgreSQL's context of a failed COPY (`COPY film, line 3, column …`).
    static func copyRow(_ context: String) -> Int? {
        guard let range = context.range(of: ", line ") else { return nil }
        return Int(context[range.upperBound...].prefix { $0.isNumber })
    }

    private func execute(_ sql: String) async throws {
        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    }
}
