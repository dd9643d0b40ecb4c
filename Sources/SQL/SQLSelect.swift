/// A `SELECT` statement: `DISTINCT ON`, outputs, one source with lateral joins, filter, grouping,
/// order, limit and offset.
public struct SQLSelect: Sendable, Hashable {
    public struct Output: Sendable, Hashable {
        public var expression: SQLExpression
        public var alias: SQLIdentifier?

        public init(_ expression: SQLExpression, as alias: SQLIdentifier? = nil) {
            self.expression = expression
            self.alias = alias
        }
    }

    public var distinctOn: [SQLExpression]
    public var outputs: [Output]
    public var from: SQLSource?
    public var joins: [SQLJoin]
    public var filter: SQLExpression?
    public var groupBy: [SQLExpression]
    public var orderBy: [SQLOrdering]
    public var limit: SQLExpression?
    public var offset: SQLExpression?

    public init(distinctOn: [SQLExpression] = [], _ outputs: [Output], from: SQLSource? = nil, joins: [SQLJoin] = [],
                where filter: SQLExpression? = nil, groupBy: [SQLExpression] = [], orderBy: [SQLOrdering] = [],
                limit: SQLExpression? = nil, offset: SQLExpression? = nil) {
        self.distinctOn = distinctOn
        self.outputs = outputs
        self.from = from
        self.joins = joins
        self.filter = filter
        self.groupBy = groupBy
        self.orderBy = orderBy
        self.limit = limit
        self.offset = offset
    }
}

/// What a `FROM` reads: a table or a subquery, always under an alias.
public indirect enum SQLSource: Sendable, Hashable {
    case table(SQLQualifiedName, as: SQLIdentifier)
    case subquery(SQLSelect, as: SQLIdentifier)
    /// `(a UNION ALL b …) AS alias`: the rows of every select, which must have the same outputs.
    case unionAll([SQLSelect], as: SQLIdentifier)
    /// `f(…) WITH ORDINALITY AS alias(columns…, ordinality)`: a set-returning function's rows,
    /// numbered from 1 in the order it returns them.
    case numberedRows(SQLExpression, as: SQLIdentifier, columns: [SQLIdentifier], ordinality: SQLIdentifier)
    /// `f(…) AS alias`: a function's rows (or its one composite value) under an alias.
    case function(SQLExpression, as: SQLIdentifier)
}

/// `LEFT JOIN LATERAL (…) AS alias ON condition`.
public struct SQLJoin: Sendable, Hashable {
    public var source: SQLSource
    public var condition: SQLExpression

    public init(leftLateral source: SQLSource, on condition: SQLExpression = .boolean(true)) {
        self.source = source
        self.condition = condition
    }
}

/// One `ORDER BY` key.
public struct SQLOrdering: Sendable, Hashable {
    public enum Direction: String, Sendable, Hashable {
        case ascending = "ASC", descending = "DESC"
    }

    public enum Nulls: String, Sendable, Hashable {
        case first = "NULLS FIRST", last = "NULLS LAST"
    }

    public var expression: SQLExpression
    public var direction: Direction
    public var nulls: Nulls

    /// PostgreSQL's defaults: ascending puts nulls last, descending first.
    public init(_ expression: SQLExpression, _ direction: Direction = .ascending, nulls: Nulls? = nil) {
        self.expression = expression
        self.direction = direction
        self.nulls = nulls ?? (direction == .ascending ? .last : .first)
    }
}
