/// Statement text with `$n` placeholders, and what to bind to each, in order.
public struct RenderedSQL: Sendable, Hashable {
    public var text: String
    /// `binds[n - 1]` is bound to `$n`.
    public var binds: [SQLBind]
}

/// Renders SQL trees to text. Identifiers are quoted and every value becomes a `$n` bind; equal
/// binds share one placeholder, so the session's tenant is sent once however often it is used.
public struct SQLRenderer {
    var text = ""
    var binds: [SQLBind] = []
    private var placeholders: [SQLBind: Int] = [:]

    public init() {}

    public static func render(_ select: SQLSelect) -> RenderedSQL {
        var renderer = SQLRenderer()
        renderer.write(select)
        return RenderedSQL(text: renderer.text, binds: renderer.binds)
    }

    public static func render(_ expression: SQLExpression) -> RenderedSQL {
        var renderer = SQLRenderer()
        renderer.write(expression)
        return RenderedSQL(text: renderer.text, binds: renderer.binds)
    }

    mutating func write(_ select: SQLSelect) {
        text += "SELECT "
        if !select.distinctOn.isEmpty {
            text += "DISTINCT ON ("
            list(select.distinctOn) { $0.write($1) }
            text += ") "
        }
        list(select.outputs) { renderer, output in
            renderer.write(output.expression)
            if let alias = output.alias { renderer.text += " AS " + alias.rendered }
        }
        if let source = select.from {
            text += " FROM "
            write(source)
        }
        for join in select.joins {
            text += " LEFT JOIN LATERAL "
            write(join.source)
            text += " ON "
            write(join.condition)
        }
        if let filter = select.filter {
            text += " WHERE "
            write(filter)
        }
        if !select.groupBy.isEmpty {
            text += " GROUP BY "
            list(select.groupBy) { $0.write($1) }
        }
        if !select.orderBy.isEmpty {
            text += " ORDER BY "
            write(select.orderBy)
        }
        if let limit = select.limit {
            text += " LIMIT "
            write(limit)
        }
        if let offset = select.offset {
            text += " OFFSET "
            write(offset)
        }
    }

    mutating func write(_ source: SQLSource) {
        switch source {
        case .table(let name, let alias):
            text += name.rendered + " AS " + alias.rendered
        case .subquery(let select, let alias):
            text += "("
            write(select)
            text += ") AS " + alias.rendered
        case .unionAll(let selects, let alias):
            text += "("
            for (index, select) in selects.enumerated() {
                if index > 0 { text += " UNION ALL " }
                write(select)
            }
            text += ") AS " + alias.rendered
        case .function(let function, let alias):
            write(function)
            text += " AS " + alias.rendered
        case .numberedRows(let function, let alias, let columns, let ordinality):
            write(function)
            text += " WITH ORDINALITY AS " + alias.rendered + "("
            list(columns + [ordinality]) { $0.text += $1.rendered }
            text += ")"
        }
    }

    mutating func write(_ orderBy: [SQLOrdering]) {
        list(orderBy) { renderer, ordering in
            renderer.write(ordering.expression)
            renderer.text += " " + ordering.direction.rawValue + " " + ordering.nulls.rawValue
        }
    }

    mutating func write(_ expression: SQLExpression) {
        switch expression {
        case .column(let table, let column):
            if let table { text += table.rendered + "." }
            text += column.rendered
        case .bind(let bind):
            if let number = placeholders[bind] {
                text += "$\(number)"
            } else {
                binds.append(bind)
                placeholders[bind] = binds.count
                text += "$\(binds.count)"
            }
        case .function(let name, let arguments):
            text += name.rendered + "("
            list(arguments) { $0.write($1) }
            text += ")"
        case .aggregate(let aggregate):
            write(aggregate)
        case .cast(let inner, let type):
            text += "("
            write(inner)
            text += ")::" + type.name
        case .binary(let left, let op, let right):
            text += "("
            write(left)
            text += " \(op.rawValue) "
            write(right)
            text += ")"
        case .quantified(let left, let op, let quantifier, let right):
            text += "("
            write(left)
            text += " \(op.rawValue) \(quantifier.rawValue) ("
            write(right)
            text += "))"
        case .and(let terms):
            junction(terms, with: "AND", empty: "TRUE")
        case .or(let terms):
            junction(terms, with: "OR", empty: "FALSE")
        case .not(let inner):
            text += "(NOT "
            write(inner)
            text += ")"
        case .isNull(let inner):
            text += "("
            write(inner)
            text += " IS NULL)"
        case .isNotNull(let inner):
            text += "("
            write(inner)
            text += " IS NOT NULL)"
        case .boolean(let value):
            text += value ? "TRUE" : "FALSE"
        case .null:
            text += "NULL"
        case .integer(let value):
            text += String(value)
        case .name(let name):
            text += "'" + name.text + "'"
        case .star(let table):
            text += table.map { $0.rendered + ".*" } ?? "*"
        case .subquery(let select):
            text += "("
            write(select)
            text += ")"
        case .exists(let select):
            text += "EXISTS ("
            write(select)
            text += ")"
        case .array(let elements):
            text += "ARRAY["
            list(elements) { $0.write($1) }
            text += "]"
        case .row(let elements):
            text += "ROW("
            list(elements) { $0.write($1) }
            text += ")"
        case .coalesce(let arguments):
            text += "COALESCE("
            list(arguments) { $0.write($1) }
            text += ")"
        case .defaultValue:
            text += "DEFAULT"
        case .namedArgument(let name, let value):
            text += name.rendered + " => "
            write(value)
        case .rowNumber(let partitionBy, let orderBy):
            text += "\"pg_catalog\".\"row_number\"() OVER ("
            if !partitionBy.isEmpty {
                text += "PARTITION BY "
                list(partitionBy) { $0.write($1) }
                if !orderBy.isEmpty { text += " " }
            }
            if !orderBy.isEmpty {
                text += "ORDER BY "
                write(orderBy)
            }
            text += ")"
        case .caseWhen(let arms, let otherwise):
            text += "CASE"
            for arm in arms {
                text += " WHEN "
                write(arm.condition)
                text += " THEN "
                write(arm.result)
            }
            if let otherwise {
                text += " ELSE "
                write(otherwise)
            }
            text += " END"
        }
    }

    mutating func write(_ aggregate: SQLAggregate) {
        text += aggregate.name.rendered + "("
        if aggregate.distinct { text += "DISTINCT " }
        if aggregate.arguments.isEmpty {
            text += "*"
        } else {
            list(aggregate.arguments) { $0.write($1) }
        }
        if !aggregate.orderBy.isEmpty {
            text += " ORDER BY "
            write(aggregate.orderBy)
        }
        text += ")"
        if let filter = aggregate.filter {
            text += " FILTER (WHERE "
            write(filter)
            text += ")"
        }
    }

    private mutating func junction(_ terms: [SQLExpression], with word: String, empty: String) {
        switch terms.count {
        case 0: text += empty
        case 1: write(terms[0])
        default:
            text += "("
            for (index, term) in terms.enumerated() {
                if index > 0 { text += " \(word) " }
                write(term)
            }
            text += ")"
        }
    }

    mutating func list<Element>(_ elements: [Element], _ body: (inout SQLRenderer, Element) -> Void) {
        for (index, element) in elements.enumerated() {
            if index > 0 { text += ", " }
            body(&self, element)
        }
    }
}
