/// An input value written in a document (spec §2.9), with its location.
public struct Value: SyntaxNodeView {
    public enum Kind: Sendable, Hashable {
        case variable(String)
        /// The literal's text, exactly as written; coercion decides its range.
        case int(String)
        case float(String)
        case string(String, isBlock: Bool)
        case boolean(Bool)
        case null
        case enumValue(String)
        case list(SyntaxList<Value>)
        case object(SyntaxList<ObjectField>)
    }

    public let tree: SyntaxTree
    public let index: UInt32
    public init(tree: SyntaxTree, index: UInt32) { (self.tree, self.index) = (tree, index) }

    public var kind: Kind {
        let node = self.node
        switch node.kind {
        case .variable: return .variable(name(node.a).value)
        case .int: return .int(tree.text(node.location))
        case .float: return .float(tree.text(node.location))
        case .string, .blockString:
            let isBlock = node.kind == .blockString
            return .string(tree.stringValue(node.location, isBlock: isBlock), isBlock: isBlock)
        case .boolean: return .boolean(node.flag != 0)
        case .enumValue: return .enumValue(tree.text(node.location))
        case .list: return .list(list(node.a))
        case .object: return .object(list(node.a))
        default: return .null
        }
    }
}

/// `name: value` inside an input object literal.
public struct ObjectField: SyntaxNodeView {
    public let tree: SyntaxTree
    public let index: UInt32
    public init(tree: SyntaxTree, index: UInt32) { (self.tree, self.index) = (tree, index) }

    public var name: Name { name(node.a) }
    public var value: Value { Value(tree: tree, index: node.b) }
}

/// A type in a variable or field definition (spec §2.11): `Name`, `[Type]`, `Type!`.
public indirect enum TypeReference: Sendable, Hashable {
    case named(Name)
    case list(TypeReference, Location)
    case nonNull(TypeReference, Location)

    init(tree: SyntaxTree, index: UInt32) {
        let node = tree[index]
        switch node.kind {
        case .listType: self = .list(TypeReference(tree: tree, index: node.a), node.location)
        case .nonNullType: self = .nonNull(TypeReference(tree: tree, index: node.a), node.location)
        default: self = .named(Name(tree: tree, index: index))
        }
    }

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
