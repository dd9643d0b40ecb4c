/// A parsed GraphQL document (spec §2.2): executable definitions, type-system definitions and
/// extensions, in source order.
public struct Document: Sendable, Hashable {
    public var definitions: [Definition]
    public var location: Location
    /// Tokens read, for limits and metrics.
    public var tokenCount: Int

    public init(definitions: [Definition], location: Location, tokenCount: Int = 0) {
        self.definitions = definitions
        self.location = location
        self.tokenCount = tokenCount
    }

    public var operations: [OperationDefinition] {
        definitions.compactMap { if case .operation(let operation) = $0 { operation } else { nil } }
    }

    public var fragments: [FragmentDefinition] {
        definitions.compactMap { if case .fragment(let fragment) = $0 { fragment } else { nil } }
    }
}

public enum Definition: Sendable, Hashable {
    case operation(OperationDefinition)
    case fragment(FragmentDefinition)
    case schema(SchemaDefinition)
    case type(TypeDefinition)
    case directive(DirectiveDefinition)
    case schemaExtension(SchemaExtension)
    case typeExtension(TypeDefinition)

    public var location: Location {
        switch self {
        case .operation(let node): node.location
        case .fragment(let node): node.location
        case .schema(let node): node.location
        case .type(let node), .typeExtension(let node): node.location
        case .directive(let node): node.location
        case .schemaExtension(let node): node.location
        }
    }

    /// Whether this is an operation or fragment (spec §2.3), as opposed to type system.
    public var isExecutable: Bool {
        switch self {
        case .operation, .fragment: true
        default: false
        }
    }
}

/// A name with its location.
public struct Name: Sendable, Hashable {
    public var value: String
    public var location: Location

    public init(_ value: String, location: Location) {
        self.value = value
        self.location = location
    }
}

/// A description: a string or block string before a definition.
public struct Description: Sendable, Hashable {
    public var value: String
    public var isBlock: Bool
    public var location: Location
}

/// `@name(arguments)`.
public struct Directive: Sendable, Hashable {
    public var name: Name
    public var arguments: [Argument]
    public var location: Location
}

/// `name: value`, in a field or directive.
public struct Argument: Sendable, Hashable {
    public var name: Name
    public var value: Value
    public var location: Location
}
