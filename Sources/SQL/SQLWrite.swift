/// A data-modifying statement, run as a common table expression of a `SQLWithQuery` so the
/// rows it wrote (its `RETURNING` outputs) can be read by the rest of the statement.
public enum SQLWrite: Sendable, Hashable {
    case insert(SQLInsert)
    case update(SQLUpdate)
    case delete(SQLDelete)
}

/// `INSERT INTO table AS alias (columns) VALUES (…), (…) [ON CONFLICT …] RETURNING …`. A row may
/// hold `.defaultValue` for a column it leaves to the table's default. With no columns it is
/// `DEFAULT VALUES`, which inserts exactly one row.
public struct SQLInsert: Sendable, Hashable {
    public var table: SQLQualifiedName
    public var alias: SQLIdentifier
    public var columns: [SQLIdentifier]
    public var rows: [[SQLExpression]]
    /// Rows from a query instead of `VALUES` (`INSERT … SELECT`), when set.
    public var query: SQLSelect?
    public var onConflict: SQLOnConflict?
    public var returning: [SQLSelect.Output]

    public init(into table: SQLQualifiedName, as alias: SQLIdentifier, columns: [SQLIdentifier], rows: [[SQLExpression]],
                onConflict: SQLOnConflict? = nil, returning: [SQLSelect.Output]) {
        self.table = table
        self.alias = alias
        self.columns = columns
        self.rows = rows
        self.onConflict = onConflict
        self.returning = returning
    }

    /// `INSERT INTO table AS alias (columns) SELECT …`: as many rows as the query returns.
    public init(into table: SQLQualifiedName, as alias: SQLIdentifier, columns: [SQLIdentifier], query: SQLSelect,
                onConflict: SQLOnConflict? = nil, returning: [SQLSelect.Output]) {
        self.init(into: table, as: alias, columns: columns, rows: [], onConflict: onConflict, returning: returning)
        self.query = query
    }
}

/// `ON CONFLICT ON CONSTRAINT name DO NOTHING` or `DO UPDATE SET … WHERE …`.
public struct SQLOnConflict: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        case nothing
        case update([SQLAssignment], where: SQLExpression?)
    }

    public var constraint: SQLIdentifier
    public var action: Action

    public init(constraint: SQLIdentifier, _ action: Action) {
        self.constraint = constraint
        self.action = action
    }
}

/// `column = value` in an `UPDATE … SET` or `ON CONFLICT … DO UPDATE SET`.
public struct SQLAssignment: Sendable, Hashable {
    public var column: SQLIdentifier
    public var value: SQLExpression

    public init(_ column: SQLIdentifier, _ value: SQLExpression) {
        self.column = column
        self.value = value
    }
}

/// `UPDATE table AS alias SET … WHERE … RETURNING …`.
public struct SQLUpdate: Sendable, Hashable {
    public var table: SQLQualifiedName
    public var alias: SQLIdentifier
    public var assignments: [SQLAssignment]
    public var filter: SQLExpression?
    public var returning: [SQLSelect.Output]

    public init(_ table: SQLQualifiedName, as alias: SQLIdentifier, set assignments: [SQLAssignment],
                where filter: SQLExpression?, returning: [SQLSelect.Output]) {
        self.table = table
        self.alias = alias
        self.assignments = assignments
        self.filter = filter
        self.returning = returning
    }
}

/// `DELETE FROM table AS alias WHERE … RETURNING …`.
public struct SQLDelete: Sendable, Hashable {
    public var table: SQLQualifiedName
    public var alias: SQLIdentifier
    public var filter: SQLExpression?
    public var returning: [SQLSelect.Output]

    public init(from table: SQLQualifiedName, as alias: SQLIdentifier, where filter: SQLExpression?, returning: [SQLSelect.Output]) {
        self.table = table
        self.alias = alias
        self.filter = filter
        self.returning = returning
    }
}

/// `WITH name AS (write), … SELECT …`: writes whose returned rows the final `SELECT` reads.
/// PostgreSQL runs every write to completion, all on one snapshot, whether or not it is read.
public struct SQLWithQuery: Sendable, Hashable {
    public struct Table: Sendable, Hashable {
        public var name: SQLIdentifier
        public var write: SQLWrite

        public init(_ name: SQLIdentifier, _ write: SQLWrite) {
            self.name = name
            self.write = write
        }
    }

    public var tables: [Table]
    public var body: SQLSelect

    public init(_ tables: [Table], _ body: SQLSelect) {
        self.tables = tables
        self.body = body
    }
}
