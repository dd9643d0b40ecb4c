import GraphQLLanguage

/// A field of an object or interface (spec §3.6). A class, immutable once built, for the same
/// reason as `GraphQLObjectType`: lookups pass a reference.
public final class GraphQLField: Sendable {
    public let name: String
    public let description: String?
    public let arguments: [GraphQLInputValue]
    public let type: GraphQLTypeRef
    public let deprecationReason: String?
    public let location: Location?

    public init(name: String, description: String? = nil, arguments: [GraphQLInputValue] = [], type: GraphQLTypeRef,
                deprecationReason: String? = nil, location: Location? = nil) {
        self.name = name
        self.description = description
        self.arguments = arguments
        self.type = type
        self.deprecationReason = deprecationReason
        self.location = location
    }

    public func argument(named name: String) -> GraphQLInputValue? {
        arguments.first { $0.name == name }
    }
}

/// An argument, or a field of an input object (spec §3.6.1, §3.10).
public struct GraphQLInputValue: Sendable {
    public var name: String
    public var description: String?
    public var type: GraphQLTypeRef
    /// The default as written in SDL; coerced when used.
    public var defaultValue: Value?
    public var deprecationReason: String?
    public var location: Location?

    public init(name: String, description: String? = nil, type: GraphQLTypeRef, defaultValue: Value? = nil,
                deprecationReason: String? = nil, location: Location? = nil) {
        self.name = name
        self.description = description
        self.type = type
        self.defaultValue = defaultValue
        self.deprecationReason = deprecationReason
        self.location = location
    }

    /// Non-null without a default: the caller must give it.
    public var isRequired: Bool {
        type.isNonNull && defaultValue == nil
    }
}

/// A directive the schema defines (spec §3.13).
public struct GraphQLDirective: Sendable {
    public var name: String
    public var description: String?
    public var arguments: [GraphQLInputValue]
    public var locations: [DirectiveLocation]
    public var isRepeatable: Bool
    public var location: Location?

    public func argument(named name: String) -> GraphQLInputValue? {
        arguments.first { $0.name == name }
    }
}
