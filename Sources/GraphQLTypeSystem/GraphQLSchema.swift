import GraphQLLanguage

/// A GraphQL schema (spec §3.3): named types, directives and root operation types. Immutable
/// once built; types refer to each other by name.
public final class GraphQLSchema: Sendable {
    public let description: String?
    /// Every named type, user-defined, built-in and introspection, by name.
    public let types: [String: GraphQLNamedType]
    /// Type names in definition order (user types first).
    public let typeNames: [String]
    public let directives: [String: GraphQLDirective]
    public let directiveNames: [String]
    public let queryTypeName: String?
    public let mutationTypeName: String?
    public let subscriptionTypeName: String?
    /// Abstract type name → the object types that belong to it.
    private let possibleTypeNames: [String: Set<String>]
    /// Interface name → object and interface types that implement it.
    private let implementorNames: [String: [String]]

    init(description: String?, types: [String: GraphQLNamedType], typeNames: [String],
         directives: [String: GraphQLDirective], directiveNames: [String],
         queryTypeName: String?, mutationTypeName: String?, subscriptionTypeName: String?) {
        self.description = description
        self.types = types
        self.typeNames = typeNames
        self.directives = directives
        self.directiveNames = directiveNames
        self.queryTypeName = queryTypeName
        self.mutationTypeName = mutationTypeName
        self.subscriptionTypeName = subscriptionTypeName
        var possible: [String: Set<String>] = [:]
        var implementors: [String: [String]] = [:]
        for name in typeNames {
            switch types[name] {
            case .object(let object)?:
                for interface in object.interfaces {
                    possible[interface, default: []].insert(name)
                    implementors[interface, default: []].append(name)
                }
            case .interface(let interface)?:
                for parent in interface.interfaces { implementors[parent, default: []].append(name) }
            case .union(let union)?:
                possible[name] = Set(union.members)
            default:
                break
            }
        }
        self.possibleTypeNames = possible
        self.implementorNames = implementors
    }

    public func type(named name: String) -> GraphQLNamedType? {
        types[name]
    }

    public func directive(named name: String) -> GraphQLDirective? {
        directives[name]
    }

    public func rootTypeName(for operation: OperationType) -> String? {
        switch operation {
        case .query: queryTypeName
        case .mutation: mutationTypeName
        case .subscription: subscriptionTypeName
        }
    }

    public func rootType(for operation: OperationType) -> GraphQLObjectType? {
        rootTypeName(for: operation).flatMap { types[$0]?.objectType }
    }

    /// The object types an abstract type may be at run time; an object type is its own.
    public func possibleTypes(of name: String) -> Set<String> {
        switch types[name] {
        case .object?: [name]
        case .interface?, .union?: possibleTypeNames[name] ?? []
        default: []
        }
    }

    /// Types that declare they implement the interface (objects and interfaces).
    public func implementors(of interface: String) -> [String] {
        implementorNames[interface] ?? []
    }

    /// Whether `candidate` is `abstract` itself or belongs to it (an object in a union or
    /// implementing an interface, or an interface implementing an interface).
    public func isSubType(_ candidate: String, of abstract: String) -> Bool {
        if candidate == abstract { return true }
        switch types[abstract] {
        case .union(let union)?:
            return union.members.contains(candidate)
        case .interface?:
            return types[candidate]?.objectType?.interfaces.contains(abstract) ?? false
        default:
            return false
        }
    }

    /// A field of a composite type, including the meta-fields `__typename` (any composite type)
    /// and `__schema` and `__type` (the query root), as the spec's field lookup does.
    public func field(on typeName: String, named name: String) -> GraphQLField? {
        if name.hasPrefix("__") {
            switch name {
            case "__typename" where types[typeName]?.isComposite == true:
                return MetaFields.typename
            case "__schema" where typeName == queryTypeName:
                return MetaFields.schema
            case "__type" where typeName == queryTypeName:
                return MetaFields.type
            default:
                break
            }
        }
        return types[typeName]?.objectType?.field(named: name)
    }

    /// Whether a value of type `candidate` may be used where `target` is expected (spec
    /// IsTypeSubTypeOf: non-null fits nullable, lists element-wise, objects in their abstract types).
    public func isTypeSubType(_ candidate: GraphQLTypeRef, of target: GraphQLTypeRef) -> Bool {
        switch (candidate, target) {
        case (.nonNull(let inner), .nonNull(let targetInner)):
            return isTypeSubType(inner, of: targetInner)
        case (.nonNull(let inner), _):
            return isTypeSubType(inner, of: target)
        case (_, .nonNull):
            return false
        case (.list(let inner), .list(let targetInner)):
            return isTypeSubType(inner, of: targetInner)
        case (.list, _), (_, .list):
            return false
        case (.named(let name), .named(let targetName)):
            return name == targetName || (types[targetName]?.isAbstract == true && isSubType(name, of: targetName))
        }
    }

    /// Whether two composite types can be the same object at run time (used by fragment spreads).
    public func typesOverlap(_ first: String, _ second: String) -> Bool {
        if first == second { return true }
        let firstPossible = possibleTypes(of: first)
        let secondPossible = possibleTypes(of: second)
        return !firstPossible.isDisjoint(with: secondPossible)
    }

    /// Whether the type is an input type (spec IsInputType), looking through wrappers.
    public func isInputType(_ type: GraphQLTypeRef) -> Bool {
        types[type.namedType]?.isInput ?? false
    }

    public func isOutputType(_ type: GraphQLTypeRef) -> Bool {
        types[type.namedType]?.isOutput ?? false
    }
}

/// The fields every schema has without declaring them (spec §4.1, §4.2).
public enum MetaFields {
    public static let typename = GraphQLField(
        name: "__typename", description: "The name of the current Object type at runtime.", type: .nonNull(.named("String")))
    public static let schema = GraphQLField(
        name: "__schema", description: "Access the current type schema of this server.", type: .nonNull(.named("__Schema")))
    public static let type = GraphQLField(
        name: "__type", description: "Request the type information of a single type.",
        arguments: [GraphQLInputValue(name: "name", type: .nonNull(.named("String")))], type: .named("__Type"))
}
