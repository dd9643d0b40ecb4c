import SchemaModel

/// The GraphQL scalar of each kind of column, named as Hasura names them so clients' generated
/// types carry over; custom scalars link their format with `@specifiedBy` where one is defined.
enum ScalarNames {
    static func name(of type: ColumnType) -> String {
        if let declared = type.declared, declared.labels != nil { return declared.graphQLName }
        return switch type.category {
        case .text: "String"
        case .integer: "Int"
        case .float: "Float"
        case .boolean: "Boolean"
        case .bigint: "bigint"
        case .numeric: "numeric"
        case .uuid: "uuid"
        case .timestamptz: "timestamptz"
        case .timestamp: "timestamp"
        case .date: "date"
        case .time: "time"
        case .jsonb: "jsonb"
        case .json: "json"
        case .interval: "interval"
        case .inet: "inet"
        case .tsvector: "tsvector"
        case .enumeration: "String"
        case .bytea: "bytea"
        case .array: type.element.map(name) ?? "String"
        }
    }

    static let builtIn: Set<String> = ["String", "Int", "Float", "Boolean", "ID"]

    /// Description and `@specifiedBy` URL of a custom scalar.
    static func definition(of name: String) -> (description: String, url: String?) {
        switch name {
        case "bigint": ("A 64-bit integer, sent as a string when it does not fit in a JSON number's exact range.", nil)
        case "numeric": ("An exact decimal number, sent as a string to keep every digit.", nil)
        case "uuid": ("A UUID in its canonical text form.", "https://www.rfc-editor.org/rfc/rfc9562")
        case "timestamptz": ("A point in time with a time zone offset, ISO 8601.", "https://www.rfc-editor.org/rfc/rfc3339")
        case "timestamp": ("A date and time of day without a time zone, ISO 8601.", nil)
        case "date": ("A calendar date, YYYY-MM-DD.", "https://www.rfc-editor.org/rfc/rfc3339")
        case "time": ("A time of day without a time zone, HH:MM:SS.", nil)
        case "jsonb", "json": ("Any JSON value.", "https://www.rfc-editor.org/rfc/rfc8259")
        case "interval": ("A span of time as PostgreSQL writes it: '1 day 02:30:00', or ISO 8601's 'P1DT2H30M'.", nil)
        case "inet": ("An IPv4 or IPv6 host address or network, such as '192.168.0.1' or '10.0.0.0/8'.", nil)
        case "bytea": ("Binary data, base64-encoded (RFC 4648).", "https://www.rfc-editor.org/rfc/rfc4648")
        case "tsvector": ("A document prepared for full-text search, as PostgreSQL writes it; filter it with _matches.", nil)
        default: ("", nil)
        }
    }
}
