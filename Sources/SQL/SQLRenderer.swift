/// Statement text with `$n` placeholders, and the values to bind to them, in order.
public struct RenderedSQL: Sendable, Hashable {
    public var text: String
    public var binds: [SQLValue]
}

/// Renders SQL trees to text. Identifiers are quoted and every value becomes a `$n` bind.
public struct SQLRenderer {
    private var text = ""
    private var binds: [SQLValue] = []

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
        for (index, output) in select.outputs.enumerated() {
            if index > 0 { text += ", " }
            write(output.expression)
            if let alias = output.alias { text += " AS " + alias.rendered }
        }
        if let source = select.from {
            text += " FROM " + source.table.rendered
            if let alias = source.alias { text += " AS " + alias.rendered }
        }
        if let filter = select.filter {
            text += " WHERE "
            write(filter)
        }
        if !select.orderBy.isEmpty {
            text += " ORDER BY "
            for (index, ordering) in select.orderBy.enumerated() {
                if index > 0 { text += ", " }
                write(ordering.expression)
                text += ordering.descending ? " DESC" : " ASC"
            }
        }
        if let limit = select.limit {
            text += " LIMIT "
            write(limit)
        }
    }

    mutating func write(_ expression: SQLExpression) {
        switch expression {
        case .column(let table, let column):
            if let table { text += table.rendered + "." }
            text += column.rendered
        case .bind(let value):
            binds.append(value)
            text += "$\(binds.count)"
        case .function(let name, let arguments):
            text += name.rendered + "("
            for (index, argument) in arguments.enumerated() {
                if index > 0 { text += ", " }
                write(argument)
            }
            text += ")"
        case .cast(let inner, let type):
            text += "("
            write(inner)
            text += ")::" + type.rawValue
        case .binary(let left, let op, let right):
            text += "("
            write(left)
            text += " \(op.rawValue) "
            write(right)
            text += ")"
        case .not(let inner):
            text += "(NOT "
            write(inner)
            text += ")"
        case .isNull(let inner):
            text += "("
            write(inner)
            text += " IS NULL)"
        case .boolean(let value):
            text += value ? "TRUE" : "FALSE"
        case .star(let table):
            text += table.map { $0.rendered + ".*" } ?? "*"
        }
    }
}
