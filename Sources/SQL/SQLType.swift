/// A type name for casts. Only the names below can be rendered, so a cast never carries text
/// from a request.
public struct SQLType: Sendable, Hashable {
    public let name: String

    private init(_ name: String) {
        self.name = name
    }

    public static let text = SQLType("text")
    public static let boolean = SQLType("boolean")
    public static let smallint = SQLType("smallint")
    public static let integer = SQLType("integer")
    public static let bigint = SQLType("bigint")
    public static let numeric = SQLType("numeric")
    public static let real = SQLType("real")
    public static let doublePrecision = SQLType("double precision")
    public static let uuid = SQLType("uuid")
    public static let json = SQLType("json")
    public static let jsonb = SQLType("jsonb")
    public static let timestamptz = SQLType("timestamptz")
    public static let timestamp = SQLType("timestamp")
    public static let date = SQLType("date")
    public static let time = SQLType("time")
    public static let interval = SQLType("interval")
    public static let inet = SQLType("inet")
    public static let tsvector = SQLType("tsvector")
    public static let bytea = SQLType("bytea")

    /// A table's row type (`"public"."tasks"`), its name quoted as identifiers are.
    public static func row(of table: SQLQualifiedName) -> SQLType {
        SQLType(table.rendered)
    }

    /// A type of the project's own (an enum, a domain), its name quoted as identifiers are.
    public static func named(_ name: SQLQualifiedName) -> SQLType {
        SQLType(name.rendered)
    }

    /// The array type of this one (`uuid[]`).
    public var array: SQLType { SQLType(name + "[]") }
}
