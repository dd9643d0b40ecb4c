/// A reference to a type as fields and arguments use it: a named type, possibly wrapped in
/// lists and non-null. Named types are resolved through the schema, so types may refer to each
/// other freely.
public enum GraphQLTypeRef: Sendable, Hashable, CustomStringConvertible {
    case named(String)
    indirect case list(GraphQLTypeRef)
    indirect case nonNull(GraphQLTypeRef)

    public var namedType: String {
        switch self {
        case .named(let name): name
        case .list(let inner), .nonNull(let inner): inner.namedType
        }
    }

    public var isNonNull: Bool {
        if case .nonNull = self { true } else { false }
    }

    /// The type without its outer non-null wrapper.
    public var nullable: GraphQLTypeRef {
        if case .nonNull(let inner) = self { inner } else { self }
    }

    /// `[Int!]!` notation.
    public var description: String {
        switch self {
        case .named(let name): name
        case .list(let inner): "[\(inner)]"
        case .nonNull(let inner): "\(inner)!"
        }
    }
}
