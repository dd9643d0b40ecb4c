import GraphQLLanguage

/// The six kinds of named type (spec §3.4–§3.10).
public enum GraphQLNamedType: Sendable {
    case scalar(GraphQLScalarType)
    case object(GraphQLObjectType)
    case interface(GraphQLObjectType)
    case union(GraphQLUnionType)
    case enumeration(GraphQLEnumType)
    case inputObject(GraphQLInputObjectType)

    public var name: String {
        switch self {
        case .scalar(let type): type.name
        case .object(let type), .interface(let type): type.name
        case .union(let type): type.name
        case .enumeration(let type): type.name
        case .inputObject(let type): type.name
        }
    }

    public var description: String? {
        switch self {
        case .scalar(let type): type.description
        case .object(let type), .interface(let type): type.description
        case .union(let type): type.description
        case .enumeration(let type): type.description
        case .inputObject(let type): type.description
        }
    }

    /// Where the type was defined, when it came from SDL.
    public var location: Location? {
        switch self {
        case .scalar(let type): type.location
        case .object(let type), .interface(let type): type.location
        case .union(let type): type.location
        case .enumeration(let type): type.location
        case .inputObject(let type): type.location
        }
    }

    /// `__TypeKind` name: SCALAR, OBJECT, INTERFACE, UNION, ENUM, INPUT_OBJECT.
    public var kind: String {
        switch self {
        case .scalar: "SCALAR"
        case .object: "OBJECT"
        case .interface: "INTERFACE"
        case .union: "UNION"
        case .enumeration: "ENUM"
        case .inputObject: "INPUT_OBJECT"
        }
    }

    /// Scalars and enums: the leaves of a response (spec §3.1, IsLeafType).
    public var isLeaf: Bool {
        switch self {
        case .scalar, .enumeration: true
        default: false
        }
    }

    /// Objects, interfaces and unions: types with selection sets.
    public var isComposite: Bool {
        switch self {
        case .object, .interface, .union: true
        default: false
        }
    }

    public var isAbstract: Bool {
        switch self {
        case .interface, .union: true
        default: false
        }
    }

    /// Scalars, enums and input objects (spec §3.1, IsInputType).
    public var isInput: Bool {
        switch self {
        case .scalar, .enumeration, .inputObject: true
        default: false
        }
    }

    /// Everything but input objects (spec §3.1, IsOutputType).
    public var isOutput: Bool {
        if case .inputObject = self { false } else { true }
    }

    /// Fields of an object or interface.
    public var fields: [GraphQLField] {
        switch self {
        case .object(let type), .interface(let type): type.fields
        default: []
        }
    }

    public var objectType: GraphQLObjectType? {
        switch self {
        case .object(let type), .interface(let type): type
        default: nil
        }
    }
}

public struct GraphQLScalarType: Sendable {
    public var name: String
    public var description: String?
    public var specifiedByURL: String?
    public var location: Location?

    public init(name: String, description: String? = nil, specifiedByURL: String? = nil, location: Location? = nil) {
        self.name = name
        self.description = description
        self.specifiedByURL = specifiedByURL
        self.location = location
    }
}

/// An object type or an interface: fields, and the interfaces it implements.
///
/// A class, immutable once built: schema lookups hand out one reference instead of copying
/// the fields and their index on every lookup.
public final class GraphQLObjectType: Sendable {
    public let name: String
    public let description: String?
    public let interfaces: [String]
    public let fields: [GraphQLField]
    public let location: Location?
    private let fieldIndex: [String: Int]

    public init(name: String, description: String? = nil, interfaces: [String] = [], fields: [GraphQLField], location: Location? = nil) {
        self.name = name
        self.description = description
        self.interfaces = interfaces
        self.fields = fields
        self.location = location
        self.fieldIndex = Dictionary(fields.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func field(named name: String) -> GraphQLField? {
        fieldIndex[name].map { fields[$0] }
    }
}

public struct GraphQLUnionType: Sendable {
    public var name: String
    public var description: String?
    public var members: [String]
    public var location: Location?
}

public struct GraphQLEnumType: Sendable {
    public var name: String
    public var description: String?
    public var values: [GraphQLEnumValue]
    public var location: Location?

    public func value(named name: String) -> GraphQLEnumValue? {
        values.first { $0.name == name }
    }
}

public struct GraphQLEnumValue: Sendable {
    public var name: String
    public var description: String?
    public var deprecationReason: String?
    public var location: Location?
}

public struct GraphQLInputObjectType: Sendable {
    public var name: String
    public var description: String?
    public var fields: [GraphQLInputValue]
    /// `@oneOf`: exactly one field must be given, and not null (spec §3.10.1, 2025 edition).
    public var isOneOf: Bool
    public var location: Location?

    public func field(named name: String) -> GraphQLInputValue? {
        fields.first { $0.name == name }
    }
}
