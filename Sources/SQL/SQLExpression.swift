/// A SQL expression as a tree. Client and session values enter only as `.bind`; the few
/// constants the planner writes itself (`.integer`, `.name`, `.boolean`) cannot hold quotes.
public indirect enum SQLExpression: Sendable, Hashable {
    case column(table: SQLIdentifier?, SQLIdentifier)
    case bind(SQLBind)
    case function(SQLQualifiedName, [SQLExpression])
    case aggregate(SQLAggregate)
    case cast(SQLExpression, SQLType)
    case binary(SQLExpression, SQLOperator, SQLExpression)
    /// `left op ANY (array)` or `left op ALL (array)`.
    case quantified(SQLExpression, SQLOperator, SQLQuantifier, SQLExpression)
    /// Conjunction of any number of terms; `TRUE` when empty.
    case and([SQLExpression])
    /// Disjunction of any number of terms; `FALSE` when empty.
    case or([SQLExpression])
    case not(SQLExpression)
    case isNull(SQLExpression)
    case isNotNull(SQLExpression)
    case boolean(Bool)
    case null
    /// An integer the planner itself chose (a row limit from the YAML, a range bound).
    case integer(Int64)
    /// A string constant made of letters, digits and `_` only: JSON keys and type names.
    case name(SQLName)
    case star(table: SQLIdentifier?)
    /// A scalar subquery `(SELECT …)`.
    case subquery(SQLSelect)
    case exists(SQLSelect)
    /// `ARRAY[a, b]`
    case array([SQLExpression])
    /// `ROW(a, b)`
    case row([SQLExpression])
    case caseWhen([SQLWhen], else: SQLExpression?)
    /// `COALESCE(a, b)`: a special form, not a function.
    case coalesce([SQLExpression])
    /// `DEFAULT`: only as a value of an inserted row, for a column left to the table's default.
    case defaultValue
    /// `row_number() OVER (PARTITION BY … ORDER BY …)`: a row's position in the given order,
    /// from 1, counted apart for each value of the partition expressions.
    case rowNumber(partitionBy: [SQLExpression] = [], orderBy: [SQLOrdering])
    /// `name => value`: an argument of a function call in named notation.
    case namedArgument(SQLIdentifier, SQLExpression)

    /// `pg_catalog.<name>(…)`: built-in functions, qualified so `search_path` cannot redirect them.
    public static func builtin(_ name: String, _ arguments: [SQLExpression]) -> SQLExpression {
        .function(SQLQualifiedName(schema: "pg_catalog", SQLIdentifier(name)), arguments)
    }

    /// A value the planner knows now, as a bind.
    public static func value(_ value: SQLValue) -> SQLExpression {
        .bind(.value(value))
    }

    /// A numbered parameter, supplied at execution.
    public static func parameter(_ index: Int) -> SQLExpression {
        .bind(.parameter(index))
    }
}

/// One `WHEN condition THEN result` arm.
public struct SQLWhen: Sendable, Hashable {
    public var condition: SQLExpression
    public var result: SQLExpression

    public init(_ condition: SQLExpression, then result: SQLExpression) {
        self.condition = condition
        self.result = result
    }
}

/// An aggregate call: `json_agg(x ORDER BY …)`, `count(DISTINCT x) FILTER (WHERE …)`.
public struct SQLAggregate: Sendable, Hashable {
    public var name: SQLQualifiedName
    public var arguments: [SQLExpression]
    public var distinct: Bool
    public var orderBy: [SQLOrdering]
    public var filter: SQLExpression?

    public init(_ name: String, _ arguments: [SQLExpression], distinct: Bool = false,
                orderBy: [SQLOrdering] = [], filter: SQLExpression? = nil) {
        self.name = SQLQualifiedName(schema: "pg_catalog", SQLIdentifier(name))
        self.arguments = arguments
        self.distinct = distinct
        self.orderBy = orderBy
        self.filter = filter
    }
}

/// A string constant that can never need escaping: GraphQL names and JSON keys, which the
/// GraphQL grammar restricts to `[_A-Za-z][_0-9A-Za-z]*`. Anything else is refused.
public struct SQLName: Sendable, Hashable {
    public let text: String

    public init?(_ text: String) {
        guard !text.isEmpty, text.utf8.allSatisfy({ byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
        }) else { return nil }
        self.text = text
    }
}

public enum SQLQuantifier: String, Sendable, Hashable {
    case any = "ANY"
    case all = "ALL"
}

/// Operators the planner may place between two expressions.
public enum SQLOperator: String, Sendable, Hashable {
    case equal = "="
    case notEqual = "<>"
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case isDistinctFrom = "IS DISTINCT FROM"
    case isNotDistinctFrom = "IS NOT DISTINCT FROM"
    case like = "LIKE"
    case notLike = "NOT LIKE"
    case ilike = "ILIKE"
    case notIlike = "NOT ILIKE"
    case matches = "~"
    case matchesInsensitive = "~*"
    /// jsonb containment.
    case contains = "@>"
    /// jsonb top-level key exists.
    case hasKey = "?"
    /// Is contained by (arrays).
    case containedBy = "<@"
    /// A `tsvector` matches a `tsquery`.
    case textSearchMatch = "@@"
    /// Addition, for `_inc`.
    case plus = "+"
    /// A jsonb object's member as jsonb.
    case jsonMember = "->"
    /// A jsonb object's member as text (SQL null for JSON null).
    case jsonMemberText = "->>"
}
