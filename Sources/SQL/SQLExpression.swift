/// A SQL expression as a tree. Client and session values enter only as `.bind`.
public indirect enum SQLExpression: Sendable, Hashable {
    case column(table: SQLIdentifier?, SQLIdentifier)
    case bind(SQLValue)
    case function(SQLQualifiedName, [SQLExpression])
    case cast(SQLExpression, SQLType)
    case binary(SQLExpression, SQLOperator, SQLExpression)
    case not(SQLExpression)
    case isNull(SQLExpression)
    case boolean(Bool)
    case star(table: SQLIdentifier?)

    /// `pg_catalog.<name>(…)`: built-in functions, qualified so `search_path` cannot redirect them.
    public static func builtin(_ name: String, _ arguments: [SQLExpression]) -> SQLExpression {
        .function(SQLQualifiedName(schema: "pg_catalog", SQLIdentifier(name)), arguments)
    }
}

/// Operators the planner may place between two expressions.
public enum SQLOperator: String, Sendable, Hashable {
    case equal = "="
    case notEqual = "<>"
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case and = "AND"
    case or = "OR"
    case isDistinctFrom = "IS DISTINCT FROM"
    case isNotDistinctFrom = "IS NOT DISTINCT FROM"
}

/// A type name for casts; only names from this closed list can be rendered.
public enum SQLType: String, Sendable, Hashable {
    case text, boolean, integer, bigint, numeric, uuid, jsonb, json, timestamptz, date
    case doublePrecision = "double precision"
}
