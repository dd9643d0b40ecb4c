/// One exposed table, from its file under `schema/tables/`.
public struct TableModel: Sendable, Hashable {
    /// The SQL schema and table (`public`, `tasks`).
    public var schema: String
    public var table: String
    /// The name the API uses for it and everything derived (`tasks`, `tasks_by_pk`, `tasks_bool_exp`).
    public var name: String
    public var description: String?
    public var columns: [ColumnModel]
    public var primaryKey: [String]
    /// Unique constraints besides the primary key, by constraint name (for `on_conflict`).
    public var uniqueConstraints: [UniqueConstraint]
    /// The column holding the row's tenant; nil for tables outside tenancy.
    public var tenantColumn: String?
    public var relationships: [RelationshipModel]
    public var computedFields: [ComputedFieldModel]
    public var permissions: [String: TablePermissions]
    public var events: Set<ChangeOperation>
    public var position: SourcePosition
    /// What its change events set off, from `triggers:`.
    public var triggers: [EventTrigger] = []

    /// Whether every insert, update and delete leaves a change event: what a live query over
    /// the table needs to be refreshed.
    public var capturesEveryWrite: Bool { events == Set(ChangeOperation.allCases) }

    public func column(named name: String) -> ColumnModel? {
        columns.first { $0.name == name }
    }

    /// The PostgreSQL name of the column the YAML and the API call `name`.
    public func sqlName(ofColumn name: String) -> String {
        column(named: name)?.sqlName ?? name
    }

    public func relationship(named name: String) -> RelationshipModel? {
        relationships.first { $0.name == name }
    }

    /// The primary key's constraint name, as PostgreSQL names it by default.
    public var primaryKeyConstraint: String { "\(table)_pkey" }

    public var qualifiedName: String { "\(schema).\(table)" }

    /// `schema.table` as a statement would write it, parts quoted where they need it.
    public var quotedName: String { "\(Self.quoted(schema)).\(Self.quoted(table))" }

    /// An identifier as written in SQL: bare when it is lower-case letters, digits and `_`,
    /// otherwise in double quotes.
    public static func quoted(_ identifier: String) -> String {
        let plain = identifier.first.map { $0 == "_" || ("a"..."z").contains($0) } == true
            && identifier.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        return plain ? identifier : "\"" + identifier.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}

public struct ColumnModel: Sendable, Hashable {
    /// The name the API and the rest of the YAML use for it.
    public var name: String
    /// The column's name in PostgreSQL: `column:` in its YAML when that is not a GraphQL name
    /// (`First Name`), otherwise its name.
    public var sqlName: String
    public var type: ColumnType
    public var isNullable: Bool
    public var description: String?
    public var position: SourcePosition

    public init(name: String, sqlName: String? = nil, type: ColumnType, isNullable: Bool, description: String? = nil, position: SourcePosition) {
        self.name = name
        self.sqlName = sqlName ?? name
        self.type = type
        self.isNullable = isNullable
        self.description = description
        self.position = position
    }
}

public struct UniqueConstraint: Sendable, Hashable {
    public var name: String
    public var columns: [String]
    public var position: SourcePosition
}

/// A link to rows of another table by equal columns: `project_id → projects.id`.
public struct RelationshipModel: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// At most one related row (a foreign key held here).
        case object
        /// Any number of related rows (their foreign key points here).
        case array
    }

    public var name: String
    public var kind: Kind
    /// The related table's API name.
    public var target: String
    /// This table's column → the related table's column.
    public var columnMapping: [(source: String, target: String)]
    /// The same pairs by the columns' PostgreSQL names.
    public var sqlColumnMapping: [(source: String, target: String)] = []
    public var description: String?
    /// No foreign key backs it, on purpose (`unchecked: true`): `strata check` asks for none.
    public var unchecked = false
    public var position: SourcePosition

    public static func == (lhs: RelationshipModel, rhs: RelationshipModel) -> Bool {
        lhs.name == rhs.name && lhs.kind == rhs.kind && lhs.target == rhs.target && lhs.description == rhs.description
            && lhs.unchecked == rhs.unchecked
            && lhs.position == rhs.position && lhs.columnMapping.elementsEqual(rhs.columnMapping) { $0 == $1 }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(target)
    }
}

/// A field computed by a SQL function that takes the table's row (`task_is_overdue(tasks)`).
public struct ComputedFieldModel: Sendable, Hashable {
    public var name: String
    /// The function's schema and name.
    public var functionSchema: String
    public var function: String
    public var returns: ColumnType
    public var description: String?
    public var position: SourcePosition
}

/// The writes that leave change events.
public enum ChangeOperation: String, Sendable, Hashable, CaseIterable {
    case insert, update, delete
}
