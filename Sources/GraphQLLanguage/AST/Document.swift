/// A parsed GraphQL document (spec §2.2): executable definitions, type-system definitions and
/// extensions, in source order.
public struct Document: Sendable, Hashable {
    public let tree: SyntaxTree
    public let definitions: SyntaxList<Definition>
    public let location: Location
    /// Tokens read, for limits and metrics.
    public let tokenCount: Int

    init(tree: SyntaxTree, definitions: UInt32, location: Location, tokenCount: Int) {
        self.tree = tree
        self.definitions = SyntaxList(tree, definitions)
        self.location = location
        self.tokenCount = tokenCount
    }

    public static func == (lhs: Document, rhs: Document) -> Bool { lhs.tree === rhs.tree }

    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(tree)) }

    public var operations: [OperationDefinition] {
        definitions.compactMap { if case .operation(let operation) = $0 { operation } else { nil } }
    }

    public var fragments: [FragmentDefinition] {
        definitions.compactMap { if case .fragment(let fragment) = $0 { fragment } else { nil } }
    }
}

public enum Definition: SyntaxView, Hashable {
    case operation(OperationDefinition)
    case fragment(FragmentDefinition)
    case schema(SchemaDefinition)
    case type(TypeDefinition)
    case directive(DirectiveDefinition)
    case schemaExtension(SchemaExtension)
    case typeExtension(TypeDefinition)

    public init(tree: SyntaxTree, index: UInt32) {
        let node = tree[index]
        switch node.kind {
        case .operation: self = .operation(OperationDefinition(tree: tree, index: index))
        case .fragmentDefinition: self = .fragment(FragmentDefinition(tree: tree, index: index))
        case .schema where node.flag == SyntaxNode.extensionFlag: self = .schemaExtension(SchemaExtension(tree: tree, index: index))
        case .schema: self = .schema(SchemaDefinition(tree: tree, index: index))
        case .directiveDefinition: self = .directive(DirectiveDefinition(tree: tree, index: index))
        default:
            let type = TypeDefinition(tree: tree, index: index)
            self = node.flag == SyntaxNode.extensionFlag ? .typeExtension(type) : .type(type)
        }
    }

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
public struct Name: SyntaxView, Hashable {
    public var value: String
    public var location: Location

    public init(_ value: String, location: Location) {
        self.value = value
        self.location = location
    }

    public init(tree: SyntaxTree, index: UInt32) {
        let location = tree[index].location
        self.init(tree.text(location), location: location)
    }
}

/// A description: a string or block string before a definition.
public struct Description: SyntaxNodeView {
    public let tree: SyntaxTree
    public let index: UInt32

    public init(tree: SyntaxTree, index: UInt32) { (self.tree, self.index) = (tree, index) }

    public var isBlock: Bool { node.kind == .blockString }
    public var value: String { tree.stringValue(location, isBlock: isBlock) }
}

/// `@name(arguments)`.
public struct Directive: SyntaxNodeView {
    public let tree: SyntaxTree
    public let index: UInt32

    public init(tree: SyntaxTree, index: UInt32) { (self.tree, self.index) = (tree, index) }

    public var name: Name { name(node.a) }
    public var arguments: SyntaxList<Argument> { list(node.b) }
}

/// `name: value`, in a field or directive.
public struct Argument: SyntaxNodeView {
    public let tree: SyntaxTree
    public let index: UInt32

    public init(tree: SyntaxTree, index: UInt32) { (self.tree, self.index) = (tree, index) }

    public var name: Name { name(node.a) }
    public var value: Value { Value(tree: tree, index: node.b) }
}
