/// A PostgreSQL identifier; it always renders quoted (`"tasks"`), with `"` doubled, so no name
/// can change the statement's structure.
public struct SQLIdentifier: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let name: String

    public init(_ name: String) {
        self.name = name
    }

    public init(stringLiteral value: String) {
        self.name = value
    }

    public var rendered: String {
        var text = "\""
        for character in name {
            text.append(character)
            if character == "\"" { text.append("\"") }
        }
        return text + "\""
    }

    public var description: String { rendered }
}

/// A possibly schema-qualified name of a table or function.
public struct SQLQualifiedName: Sendable, Hashable {
    public var schema: SQLIdentifier?
    public var name: SQLIdentifier

    public init(schema: SQLIdentifier? = nil, _ name: SQLIdentifier) {
        self.schema = schema
        self.name = name
    }

    public var rendered: String {
        schema.map { "\($0.rendered).\(name.rendered)" } ?? name.rendered
    }
}
