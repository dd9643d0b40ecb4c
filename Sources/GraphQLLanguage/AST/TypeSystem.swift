/// `schema @directives { query: Query … }` (spec §3.3).
public struct SchemaDefinition: Sendable, Hashable {
    public var description: Description?
    public var directives: [Directive]
    public var operationTypes: [OperationTypeDefinition]
    public var location: Location
}

/// `extend schema @directives { … }` (spec §3.3.2).
public struct SchemaExtension: Sendable, Hashable {
    public var directives: [Directive]
    public var operationTypes: [OperationTypeDefinition]
    public var location: Location
}

/// `query: Query` inside a schema definition.
public struct OperationTypeDefinition: Sendable, Hashable {
    public var operation: OperationType
    public var type: Name
    public var location: Location
}

/// A named type's definition, or (in `Definition.typeExtension`) its extension, which has no
/// description and may omit everything but what it adds.
public enum TypeDefinition: Sendable, Hashable {
    case scalar(ScalarTypeDefinition)
    case object(ObjectTypeDefinition)
    case interface(ObjectTypeDefinition)
    case union(UnionTypeDefinition)
    case enumeration(EnumTypeDefinition)
    case inputObject(InputObjectTypeDefinition)

    public var name: Name {
        switch self {
        case .scalar(let node): node.name
        case .object(let node), .interface(let node): node.name
        case .union(let node): node.name
        case .enumeration(let node): node.name
        case .inputObject(let node): node.name
        }
    }

    public var location: Location {
        switch self {
        case .scalar(let node): node.location
        case .object(let node), .interface(let node): node.location
        case .union(let node): node.location
        case .enumeration(let node): node.location
        case .inputObject(let node): node.location
        }
    }
}

public struct ScalarTypeDefinition: Sendable, Hashable {
    public var description: Description?
    public var name: Name
    public var directives: [Directive]
    public var location: Location
}

/// An object type or an interface: both have interfaces they implement and fields.
public struct ObjectTypeDefinition: Sendable, Hashable {
    public var description: Description?
    public var name: Name
    public var interfaces: [Name]
    public var directives: [Directive]
    public var fields: [FieldDefinition]
    public var location: Location
}

public struct FieldDefinition: Sendable, Hashable {
    public var description: Description?
    public var name: Name
    public var arguments: [InputValueDefinition]
    public var type: TypeReference
    public var directives: [Directive]
    public var location: Location
}

/// An argument or input field definition.
public struct InputValueDefinition: Sendable, Hashable {
    public var description: Description?
    public var name: Name
    public var type: TypeReference
    public var defaultValue: Value?
    public var directives: [Directive]
    public var location: Location
}

public struct UnionTypeDefinition: Sendable, Hashable {
    public var description: Description?
    public var name: Name
    public var directives: [Directive]
    public var members: [Name]
    public var location: Location
}

public struct EnumTypeDefinition: Sendable, Hashable {
    public var description: Description?
    public var name: Name
    public var directives: [Directive]
    public var values: [EnumValueDefinition]
    public var location: Location
}

public struct EnumValueDefinition: Sendable, Hashable {
    public var description: Description?
    public var name: Name
    public var directives: [Directive]
    public var location: Location
}

public struct InputObjectTypeDefinition: Sendable, Hashable {
    public var description: Description?
    public var name: Name
    public var directives: [Directive]
    public var fields: [InputValueDefinition]
    public var location: Location
}

/// `directive @name(arguments) repeatable on LOCATIONS` (spec §3.13).
public struct DirectiveDefinition: Sendable, Hashable {
    public var description: Description?
    public var name: Name
    public var arguments: [InputValueDefinition]
    public var isRepeatable: Bool
    public var locations: [Name]
    public var location: Location
}

/// Where a directive may appear (spec §3.13, `DirectiveLocation`).
public enum DirectiveLocation: String, Sendable, CaseIterable {
    case query = "QUERY", mutation = "MUTATION", subscription = "SUBSCRIPTION", field = "FIELD"
    case fragmentDefinition = "FRAGMENT_DEFINITION", fragmentSpread = "FRAGMENT_SPREAD"
    case inlineFragment = "INLINE_FRAGMENT", variableDefinition = "VARIABLE_DEFINITION"
    case schema = "SCHEMA", scalar = "SCALAR", object = "OBJECT", fieldDefinition = "FIELD_DEFINITION"
    case argumentDefinition = "ARGUMENT_DEFINITION", interface = "INTERFACE", union = "UNION"
    case enumeration = "ENUM", enumValue = "ENUM_VALUE", inputObject = "INPUT_OBJECT"
    case inputFieldDefinition = "INPUT_FIELD_DEFINITION"
}
