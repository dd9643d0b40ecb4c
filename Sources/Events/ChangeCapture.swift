import Logging
import PostgresNIO
import SchemaModel

/// A table whose writes leave change events, as its YAML says.
public struct CapturedTable: Sendable, Equatable {
    public var schema: String
    public var table: String
    /// The name the API and the events use.
    public var apiName: String
    /// The PostgreSQL names of its tenant and key columns, which the trigger reads.
    public var tenantColumn: String?
    public var primaryKey: [String]
    /// Some of `insert`, `update`, `delete`.
    public var operations: [String]

    public init(schema: String, table: String, apiName: String, tenantColumn: String?, primaryKey: [String], operations: [String]) {
        self.schema = schema
        self.table = table
        self.apiName = apiName
        self.tenantColumn = tenantColumn
        self.primaryKey = primaryKey
        self.operations = operations
    }

    /// The tables of a project whose YAML enables events.
    public static func all(in project: SchemaProject) -> [CapturedTable] {
        project.tables.filter { !$0.events.isEmpty }.map { table in
            CapturedTable(schema: table.schema, table: table.table, apiName: table.name, tenantColumn: table.tenantColumn.map(table.sqlName(ofColumn:)),
                          primaryKey: table.primaryKey.map(table.sqlName(ofColumn:)), operations: ChangeOperation.allCases.filter(table.events.contains).map(\.rawValue))
        }
    }
}

/// Keeps the `strata_capture` triggers as the YAML says: attached, with current arguments, to
/// every table that enables events, and to no other table.
public enum ChangeCapture {
    public struct Report: Sendable, Equatable {
        public var attached: [String]
        public var detached: [String]
    }

    /// Re-attaches the trigger to `tables` and detaches it elsewhere, in one transaction (so a
    /// write never finds a table between its old and new trigger). Names and values travel as
    /// binds; the database quotes them into the trigger's definition.
    public static func sync(_ tables: [CapturedTable], on connection: PostgresConnection, logger: Logger) async throws -> Report {
        try await connection.guardedQuery("BEGIN", logger: logger)
        do {
            for table in tables {
                try await connection.guardedQuery("""
                    SELECT strata.capture_changes(format('%I.%I', \(table.schema)::text, \(table.table)::text)::regclass,
                                                  \(table.apiName), \(table.tenantColumn ?? ""), \(table.primaryKey)::text[], \(table.operations)::text[])
                    """, logger: logger)
            }
            let names = tables.map { "\($0.schema).\($0.table)" }
            let schemas = tables.map(\.schema), relations = tables.map(\.table)
            var detached: [String] = []
            let rows = try await connection.guardedQuery("""
                SELECT strata.stop_capturing_except(ARRAY(
                    SELECT format('%I.%I', s, t)::regclass FROM unnest(\(schemas)::text[], \(relations)::text[]) AS keep(s, t)))::text
                """, logger: logger)
            for try await name in rows.decode(String.self) { detached.append(name) }
            try await connection.guardedQuery("COMMIT", logger: logger)
            return Report(attached: names, detached: detached)
        } catch {
            _ = try? await connection.guardedQuery("ROLLBACK", logger: logger)
            throw error
        }
    }
}
