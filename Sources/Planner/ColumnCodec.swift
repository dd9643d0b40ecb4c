import SchemaModel
import SQL

/// How values of a column type cross between GraphQL and SQL: the type binds are cast to, and
/// the expression that puts a value into the response JSON.
enum ColumnCodec {
    /// Binds travel as text; the statement casts them to the column's type.
    static func sqlType(_ type: ColumnType) -> SQLType {
        // A declared enum or domain: cast to it, so PostgreSQL checks the value against it.
        if let declared = type.declared {
            let (schema, name) = declared.qualifiedName
            return .named(SQLQualifiedName(schema: schema.map { SQLIdentifier($0) }, SQLIdentifier(name)))
        }
        return switch type.category {
        case .text: .text
        case .integer: .integer
        case .bigint: .bigint
        case .numeric: .numeric
        case .float: .doublePrecision
        case .boolean: .boolean
        case .uuid: .uuid
        case .timestamptz: .timestamptz
        case .timestamp: .timestamp
        case .date: .date
        case .time: .time
        case .jsonb: .jsonb
        case .json: .json
        case .interval: .interval
        case .inet: .inet
        case .tsvector: .tsvector
        case .enumeration: .text
        case .bytea: .bytea
        case .array: (type.element.map(sqlType) ?? .text).array
        }
    }

    /// A bound value (text) as a value of the column: cast to its type, or for `bytea` decoded
    /// from base64.
    static func input(_ value: SQLExpression, _ type: ColumnType) -> SQLExpression {
        switch type.category {
        case .bytea where type.declared == nil:
            return .builtin("decode", [.cast(value, .text), .name(SQLName("base64")!)])
        case .array:
            // A JSON list: its elements as text, in order, cast to the element type; null stays null.
            let element = SQLIdentifier("element")
            let elements = SQLSelect([.init(.coalesce([.aggregate(SQLAggregate("array_agg", [.column(table: nil, element)])),
                                                       .cast(.value(.text("{}")), SQLType.text.array)]))],
                                     from: .function(.builtin("jsonb_array_elements_text", [.cast(value, .jsonb)]), as: element))
            return .caseWhen([SQLWhen(.isNull(value), then: .null)], else: .cast(.subquery(elements), sqlType(type)))
        default:
            return .cast(value, sqlType(type))
        }
    }

    /// Whether a GraphQL value of this column is bound as JSON text.
    static func bindsAsJSON(_ type: ColumnType) -> Bool {
        type.category == .jsonb || type.category == .json || type.category == .array
    }

    /// The largest integer a JSON number carries exactly in every client (2^53 - 1).
    static let largestExactInteger: Int64 = 9_007_199_254_740_991

    /// The value as the response shows it. PostgreSQL's JSON already writes timestamps in
    /// ISO 8601; `numeric` becomes a string to keep every digit, and `bigint` a string only
    /// beyond 2^53, where a JSON number would be rounded.
    static func output(_ value: SQLExpression, type: ColumnType) -> SQLExpression {
        switch type.category {
        case .numeric:
            return .cast(value, .text)
        case .array:
            // Elements of exact or wide numbers as strings, as those columns are; others as PostgreSQL writes them.
            return [.numeric, .bigint].contains(type.element?.category) ? .cast(value, SQLType.text.array) : value
        case .bytea:
            // Base64 without the line breaks `encode` puts every 76 characters.
            return .builtin("translate", [.builtin("encode", [value, .name(SQLName("base64")!)]), .builtin("chr", [.integer(10)]), .value(.text(""))])
        case .bigint:
            let fits = SQLExpression.binary(.builtin("abs", [value]), .lessOrEqual, .integer(largestExactInteger))
            return .caseWhen([SQLWhen(fits, then: .builtin("to_json", [value]))], else: .builtin("to_json", [.cast(value, .text)]))
        default:
            return value
        }
    }
}
