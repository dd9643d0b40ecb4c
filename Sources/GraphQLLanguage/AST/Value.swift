/// An input value written in a document (spec §2.9), with its location.
public struct Value: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case variable(String)
        /// The literal's text, exactly as written; coercion decides its range.
        case int(String)
        case float(String)
        case string(String, isBlock: Bool)
        case boolean(Bool)
        case null
        case enumValue(String)
        case list([Value])
        case object([ObjectField])
    }

    public var kind: Kind
    public var location: Location

    public init(_ kind: Kind, location: Location) {
        self.kind = kind
        self.location = location
    }
}

/// `name: value` inside an input object literal.
public struct ObjectField: Sendable, Hashable {
    public var name: Name
    public var value: Value
    public var location: Location

    public init(name: Name, value: Value, location: Location) {
        self.name = name
        self.value = value
        self.location = location
    }
}

/// A type in a variable or field definition (spec §2.11): `Name`, `[Type]`, `Type!`.
public enum TypeReference: Sendable, Hashable {
    case named(Name)
    indirect case list(TypeReference, Location)
    indirect case nonNull(TypeReference, Location)

    public var location: Location {
        switch self {
        case .named(let name): name.location
        case .list(_, let location), .nonNull(_, let location): location
        }
    }

    /// The named type at the core of any list and non-null wrappers.
    public var namedType: Name {
        switch self {
        case .named(let name): name
        case .list(let inner, _), .nonNull(let inner, _): inner.namedType
        }
    }
}
