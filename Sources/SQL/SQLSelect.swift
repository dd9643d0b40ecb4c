/// A `SELECT` statement: output expressions with aliases, an optional source, filter, order and limit.
public struct SQLSelect: Sendable, Hashable {
    public struct Output: Sendable, Hashable {
        public var expression: SQLExpression
        public var alias: SQLIdentifier?

        public init(_ expression: SQLExpression, as alias: SQLIdentifier? = nil) {
            self.expression = expression
            self.alias = alias
        }
    }

    public struct Source: Sendable, Hashable {
        public var table: SQLQualifiedName
        public var alias: SQLIdentifier?

        public init(_ table: SQLQualifiedName, as alias: SQLIdentifier? = nil) {
            self.table = table
            self.alias = alias
        }
    }

    public struct Ordering: Sendable, Hashable {
        public var expression: SQLExpression
        public var descending: Bool

        public init(_ expression: SQLExpression, descending: Bool = false) {
            self.expression = expression
            self.descending = descending
        }
    }

    public var outputs: [Output]
    public var from: Source?
    public var filter: SQLExpression?
    public var orderBy: [Ordering]
    public var limit: SQLExpression?

    public init(_ outputs: [Output], from: Source? = nil, where filter: SQLExpression? = nil,
                orderBy: [Ordering] = [], limit: SQLExpression? = nil) {
        self.outputs = outputs
        self.from = from
        self.filter = filter
        self.orderBy = orderBy
        self.limit = limit
    }
}
