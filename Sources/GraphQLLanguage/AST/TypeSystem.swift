/// `schema @directives { query: Query … }` (spec §3.3).
public struct SchemaDefinition: SyntaxNodeView {
    public let tree: SyntaxTree
    public let index: UInt32
    public init(tree: SyntaxTree, index: UInt32) { (self.tree, self.index) = (tree, index) }

    public var description: Description? { description(node.a) }
    public var directives: SyntaxList<Directive> { list(node.b) }
    public var operationTypes: SyntaxList<OperationTypeDefinition> { list(node.c) }
}

/// `extend schema @directives { … }` (spec §3.3.2).
public struct SchemaExtension: SyntaxNodeView {
    public let tree: SyntaxTree
    public let index: UInt32
    public init(tree: SyntaxTree, index: UInt32) { (self.tree, self.index) = (tree, index) }

    public var directives: SyntaxList<Directive> { list(node.b) }
    public var operationTypes: SyntaxList<OperationTypeDefinition> { list(node.c) }
}

/// `query: Query` inside a schema definition.
public struct OperationTypeDefinition: SyntaxNodeView {
    public let tree: SyntaxTree
    public let index: UInt32
    public init(tree: SyntaxTree, index: UInt32) { (self.tree, self.index) = (tree, index) }

    public var operation: OperationType { OperationType(flag: node.flag) }
    public var type: Name { name(node.a) }
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

    init(tree: SyntaxTree, index: UInt32) {
        switch tree[index].kind {
        case .scalarType: self = .scalar(ScalarTypeDefinition(tree: tree, index: index))
        case .interfaceType: self = .interface(ObjectTypeDefinition(tree: tree, index: index))
        case .unionType: self = .union(UnionTypeDefinition(tree: tree, index: index))
        case .enumType: self = .enumeration(EnumTypeDefinition(tree: tree, index: index))
        case .inputObjectType: self = .inputObject(InputObjectTypeDefinition(tree: tree, index: index))
        default: self = .object(ObjectTypeDefinition(tree: tree, index: index))
        }
    }

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

public struct ScalarTypeDefinition: SyntaxNodeView {
    public let tree: SyntaxTree
    public let index: UInt32
    public init(tree: SyntaxTree, index: UInt32) { (self.tree, self.index) = (tree, index) }

    public var description: Description? { description(node.a) }
    public var name: Name { name(node.b) }
    public var directives: SyntaxList<Directive> { list(node.c) }
}

/// An object type or an interface: both have interfaces they implement and fields.
public struct ObjectTypeDefinition: SyntaxNodeView {
    public let tree: SyntaxTree
    public let index: UInt32
    public init(tree: SyntaxTree, index: UInt32) { (self.tree, self.index) = (tree, index) }

    public var description: Description? { description(node.a) }
    public var name: Name { name(node.b) }
    public var interfaces: SyntaxList<Name> { list(node.c) }
    public var directives: SyntaxList<Directive> { list(node.d) }
    public var fields: SyntaxList<FieldDefinition> { list(node.e) }
}

public struct FieldDefinition: SyntaxNodeView {
    public let tree: SyntaxTree
    public let index: UInt32
    public init(tree: SyntaxTree, index: UInt32) { (self.tree, self.index) = (tree, index) }

    public var description: Description? { description(node.a) }
    public var name: Name { name(node.b) }
    public var arguments: SyntaxList<InputValueDefinition> { list(node.c) }
    public var type: TypeReference { TypeReference(tree: tree, index: node.d) }
    public var directives: SyntaxList<Directive> { list(node.e) }
}

/// An argument or input field definition.
public struct InputValueDefinition: SyntaxNodeView {
    public let tree: SyntaxTree
    public let index: UInt32
    public init(tree: SyntaxTree, index: UInt32) { (self.tree, self.index) = (tree, index) }

    public var description: Description? { description(node.a) }
    public var name: Name { name(node.b) }
    public var type: TypeReference { TypeReference(tree: tree, index: node.c) }
    public var defaultValue: Value? { node.d == 0 ? nil : Value(tree: tree, index: node.d) }
    public var directives: SyntaxList<Directive> { list(node.e) }
}

public struct UnionTypeDefinition: SyntaxNodeView {
    public let tree: SyntaxTree
    public let index: UInt32
    public init(tree: SyntaxTree, index: UInt32) { (self.tree, self.index) = (tree, index) }

    public var description: Description? { description(node.a) }
    public var name: Name { name(node.b) }
    public var directives: SyntaxList<Directive> { list(node.c) }
    public var members: SyntaxList<Name> { list(node.d) }
}

public struct EnumTypeDefinition: SyntaxNodeView {
    public let tree: SyntaxTree
    public let index: UInt32
    public init(tree: SyntaxTree, index: UInt32) { (self.tree, self.index) = (tree, index) }

    public var description: Description? { description(node.a) }
    public var name: Name { name(node.b) }
    public var directives: SyntaxList<Directive> { list(node.c) }
    public var values: SyntaxList<EnumValueDefinition> { list(node.d) }
}

public struct EnumValueDefinition: SyntaxNodeView {
    public let tree: SyntaxTree
    public let index: UInt32
    public init(tree: SyntaxTree, index: UInt32) { (self.tree, self.index) = (tree, index) }

    public var description: Description? { description(node.a) }
    public var name: Name { name(node.b) }
    public var directives: SyntaxList<Directive> { list(node.c) }
}

public struct InputObjectTypeDefinition: SyntaxNodeView {
    public let tree: SyntaxTree
    public let index: UInt32
    public init(tree: SyntaxTree, index: UInt32) { (self.tree, self.index) = (tree, index) }

    public var description: Description? { description(node.a) }
    public var name: Name { name(node.b) }
    public var directives: SyntaxList<Directive> { list(node.c) }
    public var fields: SyntaxList<InputValueDefinition> { list(node.d) }
}

/// `directive @name(arguments) repeatable on LOCATIONS` (spec §3.13).
public struct DirectiveDefinition: SyntaxNodeView {
    public let tree: SyntaxTree
    public let index: UInt32
    public init(tree: SyntaxTree, index: UInt32) { (self.tree, self.index) = (tree, index) }

    public var description: Description? { description(node.a) }
    public var name: Name { name(node.b) }
    public var arguments: SyntaxList<InputValueDefinition> { list(node.c) }
    public var isRepeatable: Bool { node.flag != 0 }
    public var locations: SyntaxList<Name> { list(node.d) }
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
